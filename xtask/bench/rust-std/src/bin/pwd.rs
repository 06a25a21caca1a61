//! pwd with `std`: as examples/pwd (`-P` the default unless `POSIXLY_CORRECT`; `-L` takes
//! `$PWD` when it is absolute, without `.` or `..` components, and names the current
//! directory).
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path};
use std::process::exit;

fn main() {
    let mut logical = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut operands = false;
    for a in std::env::args().skip(1) {
        if a.len() > 1 && a.starts_with('-') {
            for c in a[1..].chars() {
                match c {
                    'L' => logical = true,
                    'P' => logical = false,
                    _ => {
                        eprintln!("pwd: invalid option -- '{c}'");
                        eprintln!("Try 'pwd --help' for more information.");
                        exit(1);
                    }
                }
            }
        } else {
            operands = true;
        }
    }
    if operands {
        eprintln!("pwd: ignoring non-option arguments");
    }
    let env = std::env::var_os("PWD");
    let good = env.as_deref().map(Path::new).filter(|p| {
        p.is_absolute()
            && !p.as_os_str().as_encoded_bytes().ends_with(b"/.")
            && p.components()
                .all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
            && match (std::fs::metadata(p), std::fs::metadata(".")) {
                (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            }
    });
    let name = match good.filter(|_| logical) {
        Some(p) => p.to_owned(),
        None => match std::env::current_dir() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("pwd: {e}");
                exit(1);
            }
        },
    };
    let mut line = name.into_os_string().into_encoded_bytes();
    line.push(b'\n');
    if let Err(e) = std::io::stdout().write_all(&line) {
        let e = e.to_string();
        eprintln!(
            "pwd: write error: {}",
            e.split(" (os error").next().unwrap_or(&e)
        );
        exit(1);
    }
}
