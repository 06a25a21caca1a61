//! `#[tiny::main]`: turns a plain `fn main` into the program's entry point.
//!
//! Use it through the runtime crate, as `#[tiny::main]`. Accepted shapes:
//!
//! ```text
//! #[tiny::main] fn main() { … }                          // exit code 0
//! #[tiny::main] fn main() -> u8 { … }                    // exit code as returned
//! #[tiny::main] fn main() -> i32 { … }
//! #[tiny::main] fn main() -> Result<(), E> { … }         // E: tiny::Error, e.g. &'static str
//! ```
//!
//! Anything else (parameters, generics, `async`, `unsafe`, other return types) is a compile
//! error pointing at the offending part. The expansion keeps the function, adds a wrapper that
//! turns its result into an exit code, and includes `OUT_DIR/tiny.rs`, the entry point and
//! syscall stubs that `tiny-build` generated for the target.

mod ctor;
mod expand;
mod nt;
mod parse;
mod syscall;

use proc_macro::TokenStream;

/// Marks the program's `main`; see the crate docs for the accepted signatures.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::main(args.into(), item.into()).into()
}

/// `tiny::nt!(NtName(args…))`: calls the ntdll function `NtName` (any `Nt*` system call of an
/// x64 Windows release) with each argument converted by `tiny::sys::IntoWord`, and gives its
/// NTSTATUS as an `i32`. `unsafe`: write it in an `unsafe` block. An unknown name is a compile
/// error.
#[proc_macro]
pub fn nt(input: TokenStream) -> TokenStream {
    nt::nt(input.into()).into()
}

/// `tiny::syscall!(name, args…)`: the Linux system call `name` (its kernel name, as
/// `linux-raw-sys` spells it after `__NR_`) with up to six arguments, each anything that
/// implements `tiny::sys::IntoWord`; the raw result (`-errno` on failure) as `isize`. It calls an
/// `unsafe` function: write it inside `unsafe { … }`.
///
/// An unknown name, or a call the target architecture does not have (`open` on aarch64), is a
/// compile error that names it and, where there is one, the call to use instead.
#[proc_macro]
pub fn syscall(input: TokenStream) -> TokenStream {
    syscall::expand(input.into(), false).into()
}

/// `tiny::try_syscall!(name, args…)`: as `tiny::syscall!`, with the result as
/// `Result<usize, tiny::Errno>`.
#[proc_macro]
pub fn try_syscall(input: TokenStream) -> TokenStream {
    syscall::expand(input.into(), true).into()
}

/// `#[tiny::ctor]`: runs `fn name() { … }` before `main`, as a C++ static constructor (or
/// LIBCTINY's `.CRT$XCU` entries) runs: constructors of one file in source order, on Linux and
/// Windows; a program without constructors carries nothing for them.
#[proc_macro_attribute]
pub fn ctor(args: TokenStream, item: TokenStream) -> TokenStream {
    ctor::expand(args.into(), item.into()).into()
}
