//! Error messages: `strerror` texts (as glibc words them) of the errors a file tool meets most,
//! keyed by the OS layer's error numbers (on Windows, the Linux numbers NTSTATUS values are
//! mapped to, so that both builds print the same). The table is the largest part of a small
//! program that prints errors, so it is kept short: the errors past the first seven, which
//! creating files and directories meets (`mkdir`), are in it only with the crate feature
//! `more-errors` (each costs its text and two bytes, and going past 127 bytes of records two
//! more: 155 bytes for the seven, measured on cat and wc).

use crate::os::errno::{
    EACCES, EBADF, EDQUOT, EEXIST, EIO, EISDIR, ELOOP, EMLINK, ENAMETOOLONG, ENOENT, ENOSPC,
    ENOTDIR, EPERM, EROFS,
};

/// The errors and their messages; the first [`COMMON`] always, the others with the feature
/// `more-errors`.
const TEXTS: &[(i32, &str)] = &[
    (ENOENT, "No such file or directory"),
    (EACCES, "Permission denied"),
    (EISDIR, "Is a directory"),
    (ENOTDIR, "Not a directory"),
    (EIO, "Input/output error"),
    (ENOSPC, "No space left on device"),
    (EBADF, "Bad file descriptor"),
    (EEXIST, "File exists"),
    (EROFS, "Read-only file system"),
    (ENAMETOOLONG, "File name too long"),
    (ELOOP, "Too many levels of symbolic links"),
    (EPERM, "Operation not permitted"),
    (EMLINK, "Too many links"),
    (EDQUOT, "Disk quota exceeded"),
];

/// How many of [`TEXTS`] every program carries: the errors of opening, reading and writing
/// (`EBADF`: a closed standard stream, `prog >&-`).
const COMMON: usize = 7;

/// How many of [`TEXTS`] this build carries.
const USED: usize = if cfg!(feature = "more-errors") {
    TEXTS.len()
} else {
    COMMON
};

/// The message for numbers not in [`TEXTS`].
const UNKNOWN: &str = "Unknown error";

/// The key byte of the record of error `n` (1..=127): `n` negated, as a byte (129..=255), which
/// is the low byte of the error's `Errno` (see `os::prim::tiny_error` on Linux). A key never
/// equals a text byte (ASCII) or a NUL, so a search for the key of an error can scan all
/// bytes.
const fn key(n: usize) -> Option<u8> {
    if n > 0 && n < 128 {
        Some((n as u8).wrapping_neg())
    } else {
        None
    }
}

/// The length of the records of the [`USED`] texts in [`PACKED`]: where the text of
/// [`UNKNOWN`] starts.
pub(crate) const KNOWN_LEN: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < USED {
        assert!(key(TEXTS[i].0 as usize).is_some());
        n += TEXTS[i].1.len() + 2;
        i += 1;
    }
    n
};

/// The [`USED`] texts packed as `key, text bytes, 0` records (smaller than a table of slices,
/// and each text is a C string ready to print; see [`key`]), then `"Unknown error", 0` without
/// a key: a search for an error that is not there ends at it.
pub(crate) static PACKED: [u8; KNOWN_LEN + UNKNOWN.len() + 1] = {
    let mut out = [0u8; KNOWN_LEN + UNKNOWN.len() + 1];
    let (mut i, mut o) = (0, 0);
    while i <= USED {
        let text = if i < USED {
            out[o] = match key(TEXTS[i].0 as usize) {
                Some(k) => k,
                None => panic!("no key"),
            };
            o += 1;
            TEXTS[i].1.as_bytes()
        } else {
            UNKNOWN.as_bytes()
        };
        let mut j = 0;
        while j < text.len() {
            out[o + j] = text[j];
            j += 1;
        }
        o += text.len() + 1;
        i += 1;
    }
    out
};

/// Where the message for error `n` starts in [`PACKED`]: after its key, or the [`UNKNOWN`]
/// text.
fn text_offset(n: usize) -> usize {
    if let Some(key) = key(n) {
        let mut i = 0;
        while i < KNOWN_LEN {
            if PACKED[i] == key {
                return i + 1;
            }
            i += 1;
        }
    }
    KNOWN_LEN
}

/// The message for error `n`, as a pointer to its NUL-terminated bytes; `"Unknown error"`
/// for numbers not in the table.
pub(crate) fn c_message(n: usize) -> *const u8 {
    // SAFETY: `text_offset` is inside `PACKED`.
    unsafe { PACKED.as_ptr().add(text_offset(n)) }
}

/// The message for error `n`: [`c_message`] as a `&str`.
pub(crate) fn message(n: usize) -> &'static str {
    let text = c_message(n);
    // SAFETY: `text` is a NUL-terminated text in `PACKED`, which lives for the program.
    let bytes = unsafe { core::slice::from_raw_parts(text, crate::env::c_len(text)) };
    // SAFETY: every text is one of the `&str`s above (none holds a NUL), copied whole.
    unsafe { core::str::from_utf8_unchecked(bytes) }
}
