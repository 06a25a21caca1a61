//! cat with `std`: as examples/cat (no options; `-` is standard input), `std::io::copy`.
use std::io::{self, Write};
use std::process::exit;

/// The message of an I/O error without std's ` (os error N)`.
fn message(e: &io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

fn main() {
    let mut names: Vec<_> = std::env::args_os().skip(1).collect();
    if names.is_empty() {
        names.push("-".into());
    }
    let mut out = io::stdout().lock();
    let mut status = 0;
    for name in names {
        let copied = if name == "-" {
            io::copy(&mut io::stdin().lock(), &mut out)
        } else {
            std::fs::File::open(&name).and_then(|mut f| io::copy(&mut f, &mut out))
        };
        if let Err(e) = copied.and_then(|_| out.flush().map(|_| 0)) {
            // (std does not say which side failed; a write error ends the program as in GNU)
            eprintln!("cat: {}: {}", name.to_string_lossy(), message(&e));
            status = 1;
        }
    }
    exit(status);
}
