// `tiny::nt!` accepts only the Nt* system calls of tiny_abi::windows::NT_NAMES, and at most
// tiny_abi::MAX_NT_ARGS (17) arguments.
fn main() {
    let _: i32 = tiny_macros::nt!(NtNoSuchFunction(0, 1));
    let _: i32 = tiny_macros::nt!(ntclose(0));
    let _: i32 = tiny_macros::nt!(NtClose(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
    let _: i32 = tiny_macros::nt!(NtClose);
}
