//! `tiny::try_syscall!(mkdirat, AT_FDCWD, c"dir", 0o755)`, success as the exit code.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    // SAFETY: the path is a NUL-terminated C string literal; the kernel only reads it.
    unsafe { tiny::try_syscall!(mkdirat, tiny::sys::AT_FDCWD, c"dir", 0o755) }.is_err() as u8
}
