//! The Windows runtime's command-line splitting (`tiny-rt/src/cmdline.rs`), tested on the host:
//! the file is plain Rust with no `cfg`, included here as a module. The runtime converts the
//! UTF-16 command line with ntdll's `RtlUnicodeToUTF8N` before splitting; here
//! `String::from_utf16_lossy` does it, with the same rule (an unpaired surrogate becomes
//! U+FFFD; the Wine tests run the real one).
//!
//! The rules are those of the Microsoft C runtime (learn.microsoft.com, "Parsing C command-line
//! arguments"), including its examples, and the UCRT's simpler rule for `argv[0]`.

#[path = "../../tiny-rt/src/cmdline.rs"]
mod cmdline;

/// Converts `cmd` as the runtime does (a NUL unit ends it), then splits it with buffers of
/// exactly the documented size; returns the arguments.
fn split_units(cmd: &[u16]) -> Vec<Vec<u8>> {
    let end = cmd.iter().position(|&u| u == 0).unwrap_or(cmd.len());
    let utf8 = String::from_utf16_lossy(&cmd[..end]).into_bytes();
    let mut buf = vec![0_u8; cmdline::split_buffer_len(cmd.len())];
    assert!(
        utf8.len() < buf.len(),
        "the documented buffer holds the text and its NUL"
    );
    buf[..utf8.len()].copy_from_slice(&utf8);
    let mut argv = vec![std::ptr::dangling::<u8>(); cmdline::split_argv_len(cmd.len())];
    let base = buf.as_mut_ptr();
    // SAFETY: `buf` holds the text and a NUL; `argv` has the documented room.
    let argc = unsafe { cmdline::split(base, argv.as_mut_ptr()) };
    assert!(argc >= 1, "argv[0] always exists: {cmd:?}");
    assert!(argv[argc].is_null(), "argv[argc] is NULL: {cmd:?}");
    argv[..argc]
        .iter()
        .map(|&p| {
            let off = p as usize - base as usize;
            assert!(off < buf.len(), "inside the buffer");
            let len = buf[off..]
                .iter()
                .position(|&b| b == 0)
                .expect("NUL-terminated");
            buf[off..off + len].to_vec()
        })
        .collect()
}

fn split(cmd: &str) -> Vec<String> {
    let units: Vec<u16> = cmd.encode_utf16().collect();
    split_units(&units)
        .into_iter()
        .map(|a| String::from_utf8(a).expect("UTF-8"))
        .collect()
}

/// `(command line, argv)`. Raw strings: every backslash and quote is literal.
const TABLE: &[(&str, &[&str])] = &[
    // The examples of "Parsing C command-line arguments" (after a program name).
    (r#"p "abc" d e"#, &["p", "abc", "d", "e"]),
    (r#"p a\\b d"e f"g h"#, &["p", r"a\\b", "de fg", "h"]),
    (r#"p a\\\"b c d"#, &["p", r#"a\"b"#, "c", "d"]),
    (r#"p a\\\\"b c" d e"#, &["p", r"a\\b c", "d", "e"]),
    (r#"p a"b"" c d"#, &["p", r#"ab" c d"#]),
    // Whitespace: spaces and tabs separate, runs of them count once, ends are ignored.
    ("p a b", &["p", "a", "b"]),
    ("p\ta\t\tb", &["p", "a", "b"]),
    ("p   a  \t ", &["p", "a"]),
    ("p \"a\tb  c\"", &["p", "a\tb  c"]),
    ("p a\nb", &["p", "a\nb"]), // only space and tab separate
    // Quotes group and may be embedded; empty arguments.
    (r#"p """#, &["p", ""]),
    (r#"p "" x """#, &["p", "", "x", ""]),
    (r#"p a"b c"d"#, &["p", "ab cd"]),
    (r#"p a""b"#, &["p", "ab"]),
    (r#"p "a""b""#, &["p", r#"a"b"#]), // `""` inside quotes: a literal quote (post-2008)
    (r#"p """""#, &["p", r#"""#]),
    (r#"p """a b""""#, &["p", r#""a b""#]),
    (r#"p "unterminated arg"#, &["p", "unterminated arg"]),
    // Backslashes: literal unless before a quote.
    (r"p a\b\\c", &["p", r"a\b\\c"]),
    (r"p a\", &["p", r"a\"]),
    (r"p a\\ b", &["p", r"a\\", "b"]),
    (r#"p \"a"#, &["p", r#""a"#]),
    (r#"p \\"a b""#, &["p", r"\a b"]),
    (r#"p "a\"""#, &["p", r#"a""#]),
    (r#"p "a\\""#, &["p", r"a\"]),
    (r#"p "a\b c""#, &["p", r"a\b c"]),
    (r#"p "C:\dir\\" x"#, &["p", r"C:\dir\", "x"]),
    // argv[0]: up to whitespace, quotes toggle and are dropped, no backslash escapes.
    (r"C:\bin\x.exe a b", &[r"C:\bin\x.exe", "a", "b"]),
    (
        r#""C:\Program Files\x.exe" a"#,
        &[r"C:\Program Files\x.exe", "a"],
    ),
    (r#""C:\dir\" a"#, &[r"C:\dir\", "a"]),
    (r#"pro"g x"y z"#, &["prog xy", "z"]),
    (r#""a"b c"#, &["ab", "c"]),
    ("p\targ", &["p", "arg"]),
    (r#"p\" x"#, &[r"p\ x"]), // a quote toggles even after a backslash, to the end
    ("", &[""]),
    (" a b", &["", "a", "b"]),
    ("\"\"", &[""]),
    (
        "\"unterminated program name",
        &["unterminated program name"],
    ),
    // Unicode is converted to UTF-8.
    ("p é 日本 😀 x😀y", &["p", "é", "日本", "😀", "x😀y"]),
    ("\"C:\\Données\\é.exe\" ü", &["C:\\Données\\é.exe", "ü"]),
];

#[test]
fn rules_table() {
    assert!(TABLE.len() >= 25);
    let mut failures = Vec::new();
    for (cmd, want) in TABLE {
        let got = split(cmd);
        if got != *want {
            failures.push(format!("{cmd:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn surrogates_and_nul() {
    let u = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let fffd = "\u{FFFD}".as_bytes().to_vec();
    // An unpaired high surrogate, before an ASCII character and at the end.
    let cmd = [u("p "), vec![0xD800, 0x78, 0x20, 0xDBFF]].concat();
    assert_eq!(
        split_units(&cmd),
        [
            b"p".to_vec(),
            [fffd.clone(), b"x".to_vec()].concat(),
            fffd.clone()
        ]
    );
    // An unpaired low surrogate, and a low before a high (not a pair).
    let cmd = [u("p "), vec![0xDC00, 0x20, 0xDC00, 0xD800]].concat();
    assert_eq!(
        split_units(&cmd),
        [
            b"p".to_vec(),
            fffd.clone(),
            [fffd.clone(), fffd.clone()].concat()
        ]
    );
    // A pair split by a quote is two unpaired halves.
    let cmd = [u("p "), vec![0xD83D, 0x22, 0xDE00]].concat();
    assert_eq!(
        split_units(&cmd),
        [b"p".to_vec(), [fffd.clone(), fffd.clone()].concat()]
    );
    // A NUL unit ends the command line.
    let cmd = [u("p a"), vec![0], u(" b")].concat();
    assert_eq!(split_units(&cmd), [b"p".to_vec(), b"a".to_vec()]);
}

/// The documented buffer sizes hold the worst cases: 3-byte characters, lone surrogates, many
/// one-character and empty arguments.
#[test]
fn worst_case_sizes_fit() {
    let lone = vec![0xD800_u16; 1000];
    let args = split_units(&[vec![u16::from(b'p'), u16::from(b' ')], lone].concat());
    assert_eq!(args[1].len(), 3000);
    let many: Vec<u16> = " a".repeat(5000).encode_utf16().collect();
    assert_eq!(split_units(&many).len(), 5001);
    let empties: Vec<u16> = std::iter::once('p')
        .chain(" \"\"".repeat(3000).chars())
        .collect::<String>()
        .encode_utf16()
        .collect();
    assert_eq!(split_units(&empties).len(), 3001);
    let wide: Vec<u16> = "€ ".repeat(2000).encode_utf16().collect();
    assert_eq!(split_units(&wide).len(), 2000);
}

/// Arguments quoted the way Rust's `std::process::Command` and most Windows programs quote
/// them come back unchanged.
#[test]
fn round_trip_of_quoted_arguments() {
    fn quote(arg: &str, out: &mut String) {
        let needs = arg.is_empty() || arg.contains([' ', '\t']);
        out.push(' ');
        if needs {
            out.push('"');
        }
        let mut backslashes = 0;
        for c in arg.chars() {
            if c == '\\' {
                backslashes += 1;
            } else {
                if c == '"' {
                    out.extend(std::iter::repeat_n('\\', backslashes + 1));
                }
                backslashes = 0;
            }
            out.push(c);
        }
        if needs {
            out.extend(std::iter::repeat_n('\\', backslashes));
            out.push('"');
        }
    }
    let alphabet = ['a', ' ', '\t', '"', '\\', 'é', '😀'];
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    for _ in 0..2000 {
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let args: Vec<String> = (0..next() % 5)
            .map(|_| {
                (0..next() % 7)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect();
        let mut cmd = String::from("prog");
        for a in &args {
            quote(a, &mut cmd);
        }
        let got = split(&cmd);
        assert_eq!(got[0], "prog");
        assert_eq!(got[1..], args[..], "{cmd:?}");
    }
}

/// A plain reference for the rules `cmdline::split` documents, on bytes, written for clarity
/// rather than size: scan the line once, collecting arguments.
fn reference(line: &[u8]) -> Vec<Vec<u8>> {
    let line = &line[..line.iter().position(|&b| b == 0).unwrap_or(line.len())];
    let blank = |c: u8| c == b' ' || c == b'\t';
    let mut args = Vec::new();
    // argv[0]: to the first blank outside quotes; quotes toggle and are dropped.
    let (mut i, mut quoted, mut arg) = (0, false, Vec::new());
    while i < line.len() && (quoted || !blank(line[i])) {
        if line[i] == b'"' {
            quoted = !quoted;
        } else {
            arg.push(line[i]);
        }
        i += 1;
    }
    args.push(arg);
    loop {
        while i < line.len() && blank(line[i]) {
            i += 1;
        }
        if i == line.len() {
            return args;
        }
        let (mut quoted, mut arg) = (false, Vec::new());
        while i < line.len() && (quoted || !blank(line[i])) {
            let slashes = line[i..].iter().take_while(|&&c| c == b'\\').count();
            i += slashes;
            if line.get(i) == Some(&b'"') {
                arg.extend(std::iter::repeat_n(b'\\', slashes / 2));
                if slashes % 2 == 1 {
                    arg.push(b'"');
                } else if quoted && line.get(i + 1) == Some(&b'"') {
                    arg.push(b'"');
                    i += 1;
                } else {
                    quoted = !quoted;
                }
                i += 1;
            } else {
                arg.extend(std::iter::repeat_n(b'\\', slashes));
                match line.get(i) {
                    Some(&c) if quoted || !blank(c) => {
                        arg.push(c);
                        i += 1;
                    }
                    _ => {} // a blank or the end: the loop condition decides
                }
            }
        }
        args.push(arg);
    }
}

/// Random lines over the characters the rules care about (and a multi-byte one): the in-place
/// split agrees with the reference, and never writes past the documented `argv` room (canary
/// entries after it stay untouched) or outside the text.
#[test]
fn random_lines_match_the_reference_and_stay_in_bounds() {
    let alphabet: [&str; 7] = [" ", "\t", "\"", "\\", "a", "é", "😀"];
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let len = (next() % 24) as usize;
        let line: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let units = line.encode_utf16().count();
        let mut buf = vec![0_u8; cmdline::split_buffer_len(units)];
        buf[..line.len()].copy_from_slice(line.as_bytes());
        let room = cmdline::split_argv_len(units);
        let canary = std::ptr::dangling::<u8>();
        let mut argv = vec![canary; room + 4];
        let base = buf.as_mut_ptr();
        // SAFETY: `buf` holds the text and a NUL; `argv` has the documented room (and more).
        let argc = unsafe { cmdline::split(base, argv.as_mut_ptr()) };
        assert!(
            argc < room,
            "{line:?}: {argc} arguments, room for {room} entries"
        );
        assert!(argv[argc].is_null(), "{line:?}");
        assert!(argv[argc + 1..].iter().all(|&p| p == canary), "{line:?}");
        let got: Vec<Vec<u8>> = argv[..argc]
            .iter()
            .map(|&p| {
                let off = p as usize - base as usize;
                assert!(off < buf.len(), "{line:?}");
                let n = buf[off..].iter().position(|&b| b == 0).expect("NUL");
                buf[off..off + n].to_vec()
            })
            .collect();
        assert_eq!(got, reference(line.as_bytes()), "{line:?}");
    }
}
