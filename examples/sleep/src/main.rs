//! `sleep NUMBER[SUFFIX]...`: waits for the sum of the intervals.
//!
//! As GNU sleep in the C locale: a number is what `strtod` reads in the C locale (leading
//! white space, a sign, decimal digits with an optional point and exponent: `1`, `0.5`, `.5`,
//! `5.`, `1e3`, `+2`; `inf` and `infinity` in any case), then at most one suffix letter, `s`
//! (seconds, the default), `m` (minutes), `h` (hours) or `d` (days); negative numbers are
//! refused (`-0` is zero). Each invalid argument gives `sleep: invalid time interval 'ARG'`
//! (quoted as GNU's `quote` does), then one `Try 'sleep --help' for more information.` and
//! exit code 1, without sleeping; no argument at all gives `sleep: missing operand` and the
//! same line. Arguments that start with `-` are options, of which there are none (GNU's
//! getopt messages: `sleep: invalid option -- '1'` for `-1`).
//!
//! The sum is counted in whole nanoseconds, rounded up, as GNU rounds it for `nanosleep`;
//! beyond 2^64 ns (584 years, `inf`), it stays there.
//!
//! Not implemented: hexadecimal numbers (`0x1p3`, which `strtod` reads), `--help` and
//! `--version` (unrecognized option).
//!
//! The wait is `nanosleep` on Linux, made with `tiny::syscall!`, and `NtDelayExecution` on
//! Windows, made with `tiny::nt!` (in 100 ns units, rounded up), in the `os` module below, the
//! only part that depends on the OS.
#![no_std]
#![no_main]

use core::ffi::CStr;

use tiny::opt::Options;
use tiny::{STDERR, ZStr, write_z};


/// The system call, on Linux.
#[cfg(target_os = "linux")]
mod os {
    use tiny::sys::__kernel_timespec;

    /// Waits `ns` nanoseconds. (An interrupted wait is restarted by the kernel: tiny programs
    /// install no signal handlers.)
    #[inline(always)]
    pub fn sleep(ns: u64) {
        const NS: u64 = 1_000_000_000;
        let t = __kernel_timespec {
            tv_sec: (ns / NS) as i64,
            tv_nsec: (ns % NS) as i64,
        };
        // SAFETY: the kernel reads `t`; the second argument, where it would write the time
        // left, is NULL.
        unsafe { tiny::syscall!(nanosleep, &t, 0usize) };
    }
}

/// The wait, on Windows.
#[cfg(windows)]
mod os {
    /// Waits `ns` nanoseconds, rounded up to NT's 100 ns units (a negative interval is
    /// relative to now; not alertable: nothing can cut it short).
    #[inline(always)]
    pub fn sleep(ns: u64) {
        let interval = -(ns.div_ceil(100) as i64);
        // SAFETY: ntdll reads the interval from a live local.
        unsafe { tiny::nt!(NtDelayExecution(false, &interval)) };
    }
}

/// Room for the longest message: an argument (at most `MAX_ARG_STRLEN`, 128 KiB with its
/// NUL) of which each byte may take four (`\303`), quoted.
const MSG_SIZE: usize = 64 + 4 * 128 * 1024;

/// The text of a message, built by [`quote`]. In `.bss`: no bytes in the file.
static mut MSG: [u8; MSG_SIZE] = [0; MSG_SIZE];

/// `prefix`, then `name` quoted as GNU's `quote` does in the C locale: in `'`, with `\'` and
/// `\\`, C escapes for `\a\b\t\n\v\f\r`, octal ones for the other bytes that are not printable
/// ASCII; then `suffix`.
#[inline(never)]
fn quote(prefix: &'static CStr, name: ZStr, suffix: &'static CStr) -> ZStr {
    let out = core::ptr::addr_of_mut!(MSG).cast::<u8>();
    let mut o = 0;
    let mut put = |b: u8| {
        // SAFETY: `o` stays below `MSG_SIZE`: the prefix and suffix are short, and each byte
        // of the name (an argument, under 128 KiB) adds at most four; a program has one
        // thread and nothing else uses `MSG` while this writes it.
        unsafe { out.add(o).write(b) };
        o += 1;
    };
    for &b in prefix.to_bytes() {
        put(b);
    }
    put(b'\'');
    for &b in name.to_bytes() {
        match b {
            b'\'' | b'\\' => {
                put(b'\\');
                put(b);
            }
            b' '..=b'~' => put(b),
            7..=13 => {
                put(b'\\');
                put(b"abtnvfr"[usize::from(b - 7)]);
            }
            _ => {
                put(b'\\');
                put(b'0' + (b >> 6));
                put(b'0' + (b >> 3 & 7));
                put(b'0' + (b & 7));
            }
        }
    }
    put(b'\'');
    for &b in suffix.to_bytes_with_nul() {
        put(b);
    }
    // SAFETY: `MSG[..o]` was just written, ends with its only NUL (an argument has none) and
    // lives for the program; nothing writes it while the message is printed.
    ZStr::new(unsafe { CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(out, o)) })
}

/// The first byte of `s` (0 at its end) and `s` moved past it.
#[inline(never)]
fn take(s: &mut ZStr) -> u8 {
    let (c, rest) = s.split_first().unwrap_or((0, *s));
    *s = rest;
    c
}

/// The interval `arg` stands for, in nanoseconds (rounded up; `u64::MAX` at most), `None`
/// when it is not one.
#[inline(never)]
fn interval(arg: ZStr) -> Option<u64> {
    let mut s = arg;
    let mut c = take(&mut s);
    // white space as `isspace` in the C locale
    while c == b' ' || c.wrapping_sub(b'\t') < 5 {
        c = take(&mut s);
    }
    let negative = c == b'-';
    if negative || c == b'+' {
        c = take(&mut s);
    }
    // the number is `m` * 10^`exp` nanoseconds
    let (mut m, mut exp) = (0u64, 9i32);
    if c | 0x20 == b'i' {
        // `inf` or `infinity`, in any case: as long as the sum can be
        for &l in b"nf" {
            if take(&mut s) | 0x20 != l {
                return None;
            }
        }
        m = u64::MAX;
        let inf = s;
        for &l in b"inity" {
            if take(&mut s) | 0x20 != l {
                s = inf;
                break;
            }
        }
        c = take(&mut s);
    } else {
        // digits, a point, digits: 17 significant ones are kept, as a double has them
        let (mut digits, mut point) = (false, false);
        loop {
            let d = c.wrapping_sub(b'0');
            if d < 10 {
                digits = true;
                if m < 100_000_000_000_000_000 {
                    m = m * 10 + u64::from(d);
                    exp -= i32::from(point);
                } else {
                    exp += i32::from(!point);
                }
            } else if c == b'.' && !point {
                point = true;
            } else {
                break;
            }
            c = take(&mut s);
        }
        if !digits {
            return None;
        }
        if c | 0x20 == b'e' {
            c = take(&mut s);
            let minus = c == b'-';
            if minus || c == b'+' {
                c = take(&mut s);
            }
            let (mut e, mut any) = (0i32, false);
            while c.wrapping_sub(b'0') < 10 {
                any = true;
                e = (e * 10 + i32::from(c - b'0')).min(100_000);
                c = take(&mut s);
            }
            if !any {
                // `1e`, `1ex`: `strtod` stops before the `e`, which is no suffix
                return None;
            }
            exp += if minus { -e } else { e };
        }
    }
    // the suffix (none is `s`), and nothing after it
    let unit = if c == 0 {
        1
    } else {
        let i = b"smhd".iter().position(|&u| u == c)?;
        if take(&mut s) != 0 {
            return None;
        }
        [1, 60, 60 * 60, 24 * 60 * 60][i]
    };
    if negative && m != 0 {
        return None;
    }
    m = m.saturating_mul(unit);
    while exp > 0 && m != 0 {
        m = m.saturating_mul(10);
        exp -= 1;
    }
    while exp < 0 && m > 1 {
        m = m.div_ceil(10);
        exp += 1;
    }
    Some(m)
}

#[tiny::main]
fn main() -> u8 {
    let program = tiny::args().next_z().unwrap_or(ZStr::new(c""));
    if tiny::operands().next_z().is_none() {
        let _ = write_z(STDERR, program);
        let _ = write_z(STDERR, ZStr::new(c": missing operand\n"));
        return usage(program);
    }
    // First walk: the options (GNU reads them all first), of which there are none: any ends
    // the program with GNU's message.
    let mut args = Options::new(c"");
    while args.next().is_some() {}
    args.rewind();

    let mut total = 0u64;
    let mut ok = true;
    for arg in &mut args {
        match interval(arg) {
            Some(ns) => total = total.saturating_add(ns),
            None => {
                let _ = write_z(STDERR, program);
                let _ = write_z(STDERR, quote(c": invalid time interval ", arg, c"\n"));
                ok = false;
            }
        }
    }
    if !ok {
        return usage(program);
    }
    os::sleep(total);
    0
}

/// Writes `Try 'PROGRAM --help' for more information.`; returns the exit code 1.
#[inline(never)]
fn usage(program: ZStr) -> u8 {
    let _ = write_z(STDERR, ZStr::new(c"Try '"));
    let _ = write_z(STDERR, program);
    let _ = write_z(STDERR, ZStr::new(c" --help' for more information.\n"));
    1
}
