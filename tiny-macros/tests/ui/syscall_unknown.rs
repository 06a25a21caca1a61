fn main() {
    let _ = tiny_macros::syscall!(mkdirx, 0, 0o755);
}
