//! sleep with `std`: as examples/sleep (numbers with an optional `s`, `m`, `h`, `d` suffix,
//! summed; GNU's messages).
use std::process::exit;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let try_help = || {
        eprintln!("Try 'sleep --help' for more information.");
        exit(1);
    };
    if let Some(a) = args.iter().find(|a| a.len() > 1 && a.starts_with('-')) {
        eprintln!("sleep: invalid option -- '{}'", &a[1..2]);
        try_help();
    }
    if args.is_empty() {
        eprintln!("sleep: missing operand");
        try_help();
    }
    let mut total = 0f64;
    let mut bad = false;
    for a in &args {
        let (number, scale) = match a.as_bytes().last() {
            Some(b's') => (&a[..a.len() - 1], 1.0),
            Some(b'm') => (&a[..a.len() - 1], 60.0),
            Some(b'h') => (&a[..a.len() - 1], 3600.0),
            Some(b'd') => (&a[..a.len() - 1], 86400.0),
            _ => (&a[..], 1.0),
        };
        match number.parse::<f64>() {
            Ok(s) if s >= 0.0 => total += s * scale,
            _ => {
                eprintln!("sleep: invalid time interval '{a}'");
                bad = true;
            }
        }
    }
    if bad {
        try_help();
    }
    std::thread::sleep(Duration::try_from_secs_f64(total).unwrap_or(Duration::MAX));
}
