//! `mkdir -m MODE`: the mode applied to a=rwx as GNU's `mode_adjust` does for a directory (the
//! C version in `xtask/bench/c/mkdir.c` says the same); shared by the `std` and `no_std`
//! mkdir.

/// The mode `spec` gives under `umask`, and the bits it sets or clears; `None` when it is not
/// a mode.
pub fn parse(spec: &[u8], umask: u32) -> Option<(u32, u32)> {
    if spec.first().is_some_and(|c| (b'0'..=b'7').contains(c)) {
        let mut mode = 0u32;
        for &c in spec {
            if !(b'0'..=b'7').contains(&c) {
                return None;
            }
            mode = mode * 8 + u32::from(c - b'0');
            if mode > 0o7777 {
                return None;
            }
        }
        let changed = if spec.len() > 4 {
            0o7777
        } else {
            mode & 0o6000 | 0o1777
        };
        return Some((mode, changed));
    }
    let (mut mode, mut changed) = (0o777u32, 0u32);
    let mut p = spec.iter().copied().peekable();
    loop {
        let mut who = 0;
        while let Some(bits) = p.peek().and_then(|c| match c {
            b'u' => Some(0o4700),
            b'g' => Some(0o2070),
            b'o' => Some(0o1007),
            b'a' => Some(0o7777),
            _ => None,
        }) {
            who |= bits;
            p.next();
        }
        loop {
            let op = p.next()?;
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            let mut value = 0;
            if let Some(&c @ (b'u' | b'g' | b'o')) = p.peek() {
                let src = mode
                    & match c {
                        b'u' => 0o700,
                        b'g' => 0o070,
                        _ => 0o007,
                    };
                for bits in [0o444, 0o222, 0o111] {
                    if src & bits != 0 {
                        value |= bits;
                    }
                }
                p.next();
            } else {
                while let Some(bits) = p.peek().and_then(|c| match c {
                    b'r' => Some(0o444),
                    b'w' => Some(0o222),
                    b'x' | b'X' => Some(0o111),
                    b's' => Some(0o6000),
                    b't' => Some(0o1000),
                    _ => None,
                }) {
                    value |= bits;
                    p.next();
                }
            }
            let omit = 0o6000 & !(if who != 0 { who & value } else { value });
            value &= (if who != 0 { who } else { !umask }) & !omit;
            if op == b'=' {
                let keep = (if who != 0 { !who } else { 0 }) | omit;
                changed |= 0o7777 & !keep;
                mode = mode & keep | value;
            } else {
                changed |= value;
                mode = if op == b'+' {
                    mode | value
                } else {
                    mode & !value
                };
            }
            if !matches!(p.peek(), Some(b'+' | b'-' | b'=')) {
                break;
            }
        }
        match p.next() {
            None => return Some((mode, changed)),
            Some(b',') => {}
            Some(_) => return None,
        }
    }
}
