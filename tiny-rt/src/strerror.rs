//! Error messages: `strerror` texts (as glibc words them) of the errors a file tool meets most,
//! keyed by the OS layer's error numbers (on Windows, the Linux numbers NTSTATUS values are
//! mapped to, so that both builds print the same). The table is the largest part of a small
//! program that prints errors, so it is kept short.

use crate::os::errno::{EACCES, EIO, EISDIR, ENOENT, ENOSPC, ENOTDIR};

const TEXTS: &[(i32, &str)] = &[
    (ENOENT, "No such file or directory"),
    (EACCES, "Permission denied"),
    (EISDIR, "Is a directory"),
    (ENOTDIR, "Not a directory"),
    (EIO, "Input/output error"),
    (ENOSPC, "No space left on device"),
];

const fn packed_len() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < TEXTS.len() {
        n += TEXTS[i].1.len() + 2;
        i += 1;
    }
    n
}

/// [`TEXTS`] packed as `number, text bytes, 0` records: smaller than a table of slices.
static PACKED: [u8; packed_len()] = {
    let mut out = [0u8; packed_len()];
    let (mut i, mut o) = (0, 0);
    while i < TEXTS.len() {
        let text = TEXTS[i].1.as_bytes();
        out[o] = TEXTS[i].0 as u8;
        let mut j = 0;
        while j < text.len() {
            out[o + 1 + j] = text[j];
            j += 1;
        }
        o += text.len() + 2;
        i += 1;
    }
    out
};

/// The message for error `n`, `"Unknown error"` for numbers not in the table.
pub(crate) fn message(n: usize) -> &'static str {
    let mut rest: &'static [u8] = &PACKED;
    while let [number, tail @ ..] = rest {
        let mut len = 0;
        while tail.get(len).is_some_and(|&b| b != 0) {
            len += 1;
        }
        let (text, next) = tail.split_at_checked(len).unwrap_or((tail, &[]));
        if usize::from(*number) == n {
            // SAFETY: every record's text is one of the `&str`s of `TEXTS`, copied whole.
            return unsafe { core::str::from_utf8_unchecked(text) };
        }
        rest = next.get(1..).unwrap_or_default();
    }
    "Unknown error"
}
