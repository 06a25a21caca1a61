//! Files: open, create, append, truncate, read, write — `std::fs::File` and `OpenOptions` in
//! small.
//!
//! ```ignore
//! use tiny::fs::{File, OpenOptions};
//!
//! let mut log = OpenOptions::new().append(true).create(true).open(c"log.txt")?;
//! log.write_all(b"started\n")?;
//! let mut f = File::create("out.txt")?; // write, create, truncate
//! f.write_all(b"hello\n")?;
//! ```
//!
//! A path is anything [`AsPath`]: a C string (`c"name"`, `&CStr`, a [`ZStr`] from the command
//! line) is passed to the kernel as it is; bytes or a `&str` are copied to the stack with a
//! NUL first (shorter than 4096 bytes, else `ENAMETOOLONG`). On Windows the path is UTF-8,
//! converted to UTF-16 and resolved as Win32 resolves it (`C:\…`, relative to the current
//! directory, `/` as a separator).

use core::ffi::CStr;

use crate::{Errno, Fd, ZStr, os};

/// A path a file can be opened by; see the module docs.
pub trait AsPath {
    /// Calls `f` with the path as a NUL-terminated string.
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno>;
}

impl AsPath for ZStr {
    #[inline(always)]
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        f(self.as_ptr())
    }
}

impl AsPath for &CStr {
    #[inline(always)]
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        f(self.as_ptr().cast())
    }
}

impl AsPath for [u8] {
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        const PATH_MAX: usize = 4096;
        if self.len() >= PATH_MAX {
            return Err(Errno::NAMETOOLONG);
        }
        let mut c_path = [0u8; PATH_MAX];
        c_path[..self.len()].copy_from_slice(self);
        f(c_path.as_ptr())
    }
}

impl AsPath for &[u8] {
    #[inline(always)]
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        (**self).with_c_path(f)
    }
}

impl<const N: usize> AsPath for &[u8; N] {
    #[inline(always)]
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        self.as_slice().with_c_path(f)
    }
}

impl AsPath for &str {
    #[inline(always)]
    fn with_c_path<R>(&self, f: impl FnOnce(*const u8) -> Result<R, Errno>) -> Result<R, Errno> {
        self.as_bytes().with_c_path(f)
    }
}

/// How to open a file, as `std::fs::OpenOptions` names it: start from [`OpenOptions::new`]
/// (nothing set), choose, then [`open`](OpenOptions::open).
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions {
    pub(crate) read: bool,
    pub(crate) write: bool,
    pub(crate) append: bool,
    pub(crate) truncate: bool,
    pub(crate) create: bool,
    pub(crate) create_new: bool,
    pub(crate) mode: u32,
}

impl OpenOptions {
    /// No access and nothing else set; a new file gets mode `0o666` (less the umask) on Linux.
    pub const fn new() -> OpenOptions {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            truncate: false,
            create: false,
            create_new: false,
            mode: 0o666,
        }
    }
    /// Open for reading.
    pub const fn read(mut self, on: bool) -> OpenOptions {
        self.read = on;
        self
    }
    /// Open for writing (from the start of the file).
    pub const fn write(mut self, on: bool) -> OpenOptions {
        self.write = on;
        self
    }
    /// Open for appending: every write goes to the end of the file (implies writing).
    pub const fn append(mut self, on: bool) -> OpenOptions {
        self.append = on;
        self
    }
    /// Truncate an existing file to length 0 (needs `write`).
    pub const fn truncate(mut self, on: bool) -> OpenOptions {
        self.truncate = on;
        self
    }
    /// Create the file if it does not exist (needs `write` or `append`).
    pub const fn create(mut self, on: bool) -> OpenOptions {
        self.create = on;
        self
    }
    /// Create the file, failing with `EEXIST` if it exists (needs `write` or `append`).
    pub const fn create_new(mut self, on: bool) -> OpenOptions {
        self.create_new = on;
        self
    }
    /// The permission bits of a file this creates (Linux; less the umask). Default `0o666`.
    pub const fn mode(mut self, mode: u32) -> OpenOptions {
        self.mode = mode;
        self
    }

    /// Opens `path` with these options. As std: `EINVAL` for no access at all, for `truncate`
    /// without `write`, and for `create`/`create_new` without `write` or `append`.
    pub fn open(&self, path: impl AsPath) -> Result<File, Errno> {
        let writes = self.write || self.append;
        if !(self.read || writes)
            || (self.truncate && !self.write)
            || ((self.create || self.create_new) && !writes)
        {
            return Err(Errno::INVAL);
        }
        path.with_c_path(|p| os::open_with(p, self))
            .map(|fd| File { fd })
    }
}

/// The whole contents of the file at `path` (the heap, feature `heap`), as `std::fs::read`.
#[cfg(feature = "heap")]
pub fn read(path: impl AsPath) -> Result<alloc::vec::Vec<u8>, Errno> {
    let mut buf = alloc::vec::Vec::new();
    File::open(path)?.read_to_end(&mut buf)?;
    Ok(buf)
}

/// An open file, closed when dropped. Its descriptor is [`fd`](File::fd), for the runtime's
/// other I/O functions ([`copy`](crate::copy), [`read_chunk`](crate::read_chunk), …).
#[derive(Debug)]
pub struct File {
    fd: Fd,
}

impl File {
    /// Opens `path` for reading.
    pub fn open(path: impl AsPath) -> Result<File, Errno> {
        OpenOptions::new().read(true).open(path)
    }

    /// Opens `path` for writing, creating it or truncating it (`O_WRONLY|O_CREAT|O_TRUNC`).
    pub fn create(path: impl AsPath) -> Result<File, Errno> {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
    }

    /// A `File` for a descriptor the program owns (it is closed when the `File` is dropped):
    /// e.g. `File::from_fd(tiny::STDIN)` to read standard input to its end.
    pub fn from_fd(fd: Fd) -> File {
        File { fd }
    }

    /// The file descriptor (the file stays open: it is closed when the `File` is dropped).
    pub fn fd(&self) -> Fd {
        self.fd
    }

    /// Reads up to `buf.len()` bytes; `Ok(0)` at end of file.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        crate::read(self.fd, buf)
    }

    /// Writes some of `buf`: how many bytes were written.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        os::write(self.fd, buf.as_ptr(), buf.len())
    }

    /// Writes all of `buf` (see [`write_all`](crate::write_all)).
    pub fn write_all(&mut self, buf: &[u8]) -> Result<(), Errno> {
        crate::write_all(self.fd, buf)
    }

    /// Reads to the end of the file, appending to `buf` (the heap, feature `heap`): how many
    /// bytes were read. The buffer grows to the file's size first when it is a regular file.
    #[cfg(feature = "heap")]
    pub fn read_to_end(&mut self, buf: &mut alloc::vec::Vec<u8>) -> Result<usize, Errno> {
        if let Ok(Some(size)) = crate::file_size(self.fd) {
            buf.reserve(usize::try_from(size).unwrap_or(0));
        }
        let start = buf.len();
        loop {
            if buf.capacity() == buf.len() {
                buf.reserve(crate::BUFFER_SIZE);
            }
            let spare = buf.spare_capacity_mut();
            // SAFETY: `read` only writes bytes into the spare capacity it is given (a
            // `MaybeUninit<u8>` slice is a valid place for them), and says how many.
            let spare = unsafe {
                core::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), spare.len())
            };
            let n = self.read(spare)?;
            if n == 0 {
                return Ok(buf.len() - start);
            }
            // SAFETY: the kernel wrote `n <= spare.len()` bytes after `len`.
            unsafe { buf.set_len(buf.len() + n) };
        }
    }

    /// Closes the file, reporting the error that dropping it would ignore.
    pub fn close(self) -> Result<(), Errno> {
        let fd = self.fd;
        core::mem::forget(self);
        crate::close(fd)
    }
}

impl Drop for File {
    fn drop(&mut self) {
        let _ = crate::close(self.fd);
    }
}

impl core::fmt::Write for File {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.write_all(s.as_bytes()).map_err(|_| core::fmt::Error)
    }
}
