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

/// The message for numbers not in [`TEXTS`].
const UNKNOWN: &str = "Unknown error";

const fn packed_len() -> usize {
    let mut n = UNKNOWN.len() + 3;
    let mut i = 0;
    while i < TEXTS.len() {
        n += TEXTS[i].1.len() + 3;
        i += 1;
    }
    n
}

/// [`TEXTS`] packed as `number, text bytes, '\n', 0` records (smaller than a table of slices,
/// and each text is a line ready to print), then the record `0, "Unknown error\n", 0` that
/// ends the search (no error has number 0).
static PACKED: [u8; packed_len()] = {
    let mut out = [0u8; packed_len()];
    let (mut i, mut o) = (0, 0);
    while i <= TEXTS.len() {
        let (number, text) = if i < TEXTS.len() {
            (TEXTS[i].0 as u8, TEXTS[i].1.as_bytes())
        } else {
            (0, UNKNOWN.as_bytes())
        };
        out[o] = number;
        let mut j = 0;
        while j < text.len() {
            out[o + 1 + j] = text[j];
            j += 1;
        }
        out[o + 1 + text.len()] = b'\n';
        o += text.len() + 3;
        i += 1;
    }
    out
};

/// The message line for error `n` (its text and a newline), as a pointer to its
/// NUL-terminated bytes; `"Unknown error"` for numbers not in the table.
pub(crate) fn line(n: usize) -> *const u8 {
    let mut p = PACKED.as_ptr();
    loop {
        // SAFETY: `PACKED` is a sequence of records `number, text, '\n', 0` (no text holds a
        // NUL) whose last record has number 0, where the walk stops: `p` is always the start
        // of a record, so the number and the text after it are inside `PACKED`, and the next
        // record starts right after the text's NUL.
        unsafe {
            let number = *p;
            let text = p.add(1);
            if usize::from(number) == n || number == 0 {
                return text;
            }
            p = text.add(crate::env::c_len(text) + 1);
        }
    }
}

/// The message for error `n`: [`line`] without its newline.
pub(crate) fn message(n: usize) -> &'static str {
    let text = line(n);
    // SAFETY: `text` is a NUL-terminated record text in `PACKED`, which lives for the program;
    // its last byte is the newline.
    let bytes = unsafe { core::slice::from_raw_parts(text, crate::env::c_len(text) - 1) };
    // SAFETY: every text is one of the `&str`s above, copied whole.
    unsafe { core::str::from_utf8_unchecked(bytes) }
}
