//! echo with `std`: as examples/echo (leading `-n`/`-E` options, no `-e`).
use std::io::Write;

fn main() {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let is_option = |a: &std::ffi::OsStr| {
        let b = a.as_encoded_bytes();
        b.len() > 1 && b[0] == b'-' && b[1..].iter().all(|c| matches!(c, b'n' | b'E'))
    };
    let n = args.iter().take_while(|a| is_option(a)).count();
    let newline = !args[..n]
        .iter()
        .any(|a| a.as_encoded_bytes().contains(&b'n'));
    let mut out = Vec::new();
    for (i, a) in args[n..].iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(a.as_encoded_bytes());
    }
    if newline {
        out.push(b'\n');
    }
    if std::io::stdout().write_all(&out).is_err() {
        std::process::exit(1);
    }
}
