//! wc with `std`: as examples/wc (`-l`, `-w`, `-c`, GNU's C-locale words and column width).
use std::fs::File;
use std::io::{self, Read, Write};
use std::process::exit;

fn open(name: &str) -> io::Result<Box<dyn Read>> {
    Ok(if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(name)?)
    })
}

fn message(e: &io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

fn count(input: &mut dyn Read) -> ([u64; 3], Option<io::Error>) {
    let mut buf = vec![0u8; 65536];
    let mut n = [0u64; 3];
    let mut in_word = false;
    loop {
        let got = match input.read(&mut buf) {
            Ok(0) => return (n, None),
            Ok(got) => got,
            Err(e) => return (n, Some(e)),
        };
        n[2] += got as u64;
        for &b in &buf[..got] {
            n[0] += u64::from(b == b'\n');
            let printable = (b'!'..=b'~').contains(&b);
            let space = b == b' ' || (b'\t'..=b'\r').contains(&b);
            n[1] += u64::from(printable && !in_word);
            in_word = (in_word || printable) && !space;
        }
    }
}

fn main() {
    let mut show = 0;
    let mut files = Vec::new();
    let mut options = true;
    for a in std::env::args().skip(1) {
        if options && a == "--" {
            options = false;
        } else if options && a.len() > 1 && a.starts_with('-') {
            for c in a[1..].chars() {
                show |= match c {
                    'l' => 1,
                    'w' => 2,
                    'c' => 4,
                    _ => {
                        eprintln!("wc: invalid option -- '{c}'");
                        eprintln!("Try 'wc --help' for more information.");
                        exit(1);
                    }
                };
            }
        } else {
            files.push(a);
        }
    }
    if show == 0 {
        show = 7;
    }
    let named = !files.is_empty();
    if !named {
        files.push("-".into());
    }
    let (mut size, mut min) = (0, 1);
    for f in &files {
        let meta = if f == "-" {
            std::fs::metadata("/dev/stdin")
        } else {
            std::fs::metadata(f)
        };
        match meta {
            Ok(m) if m.is_file() => size += m.len(),
            Ok(_) => min = 7,
            Err(_) => {}
        }
    }
    let width = if files.len() > 1 || show & (show - 1) != 0 {
        size.to_string().len().max(min)
    } else {
        1
    };
    let mut out = io::stdout().lock();
    let mut line = |n: &[u64; 3], name: Option<&str>| {
        let mut s = String::new();
        for (i, count) in n.iter().enumerate() {
            if show >> i & 1 != 0 {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&format!("{count:width$}"));
            }
        }
        if let Some(name) = name {
            s.push(' ');
            s.push_str(name);
        }
        s.push('\n');
        let _ = out.write_all(s.as_bytes());
    };
    let (mut total, mut status) = ([0u64; 3], 0);
    for f in &files {
        let (n, err) = match open(f) {
            Ok(mut input) => count(&mut input),
            Err(e) => {
                eprintln!("wc: {f}: {}", message(&e));
                status = 1;
                continue;
            }
        };
        if let Some(e) = err {
            eprintln!("wc: {f}: {}", message(&e));
            status = 1;
        }
        line(&n, named.then_some(f.as_str()));
        for i in 0..3 {
            total[i] += n[i];
        }
    }
    if files.len() > 1 {
        line(&total, Some("total"));
    }
    exit(status);
}
