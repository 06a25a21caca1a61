//! The entry glue: `_start`, then the Rust function it falls into.

use proc_macro2::TokenStream;
use quote::quote;

use crate::layout::ENTRY_CHAIN;
use crate::target::{Arch, Os, Spec};

/// The entry chain (see `layout::ENTRY_CHAIN`): `_start` puts the initial stack pointer in the
/// first argument register, `__tiny_realign` sets up the stack alignment of a called function,
/// `__tiny_start` runs the program. None of them `call`s: each falls through into the next,
/// which the link step places right after it and checks that it did.
pub fn tokens(spec: &Spec) -> TokenStream {
    debug_assert_eq!(spec.os, Os::Linux, "Windows entry: codegen::windows");
    let (pass_sp, realign, abi) = match spec.arch {
        // At entry rsp is 16-byte aligned and points at argc. A called function expects
        // rsp ≡ 8 (mod 16), as if a return address had been pushed: one push gives that.
        Arch::X86_64 => ("mov rdi, rsp", "push rdi", "C"),
        // The same on i686, where a called function expects esp ≡ 12 (mod 16); the stack
        // pointer goes in ecx, `__tiny_start`'s first argument as `fastcall` passes it (the C
        // convention would want it on the stack).
        Arch::X86 => ("mov ecx, esp", "push ecx", "fastcall"),
        // No return address on the stack, and the kernel's alignment (16 bytes; 8 on arm) is
        // what a called function expects: nothing to realign. The link step never keeps
        // `__tiny_realign` on these (`layout::realigns`): `_start` alone passes the pointer.
        Arch::Aarch64 => ("mov x0, sp", "mov x0, sp", "C"),
        Arch::Riscv64 => ("mv a0, sp", "mv a0, sp", "C"),
        Arch::Arm => ("mov r0, sp", "mov r0, sp", "C"),
    };
    let [sp, align, start] = ENTRY_CHAIN.map(|l| l.section);
    quote! {
        /// The process entry point when the program reads its arguments: passes the initial
        /// stack pointer on and falls through into `__tiny_realign`.
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        #[unsafe(link_section = #sp)]
        unsafe extern "C" fn _start() -> ! {
            ::core::arch::naked_asm!(#pass_sp)
        }

        /// Sets up the stack alignment `__tiny_start` expects and falls through into it (the
        /// entry point itself when the program does not read its arguments).
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        #[unsafe(link_section = #align)]
        unsafe extern "C" fn __tiny_realign() -> ! {
            ::core::arch::naked_asm!(#realign)
        }

        /// Runs the program: reached by falling through from `__tiny_realign`, with the
        /// initial stack pointer as argument when `_start` ran.
        #[unsafe(no_mangle)]
        #[unsafe(link_section = #start)]
        unsafe extern #abi fn __tiny_start(sp: *const usize) -> ! {
            comment!("SAFETY: `sp` is the stack pointer the kernel passed to `_start` (or, when the link step left `_start` out because nothing reads the arguments, a value nothing reads), and this runs once.");
            unsafe { ::tiny::__private::start(sp, __tiny_main) }
        }
    }
}
