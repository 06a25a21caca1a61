fn main() {
    let _ = tiny_macros::try_syscall!(mmap, 0, 4096, 3, 0x22, -1, 0, 0);
}
