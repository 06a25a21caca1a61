//! System call stubs: one inline-`asm!` function per system call.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::{Syscall, stub_symbol};
use crate::target::{Arch, Spec};

/// A Linux stub: number from `linux-raw-sys`, arguments in the kernel's registers.
///
/// The number is loaded by the stub's own instructions (`push nr; pop rax`, 3 bytes, when it
/// fits a signed byte), not passed in `rax`: as an input it is a constant that LLVM may hoist
/// into a register of its own before a loop, which costs the load and then a move at every call.
/// The stubs that return therefore do not say `nostack`. (`exit`, called once, takes its number
/// as an input: LLVM loads it as compactly itself.)
pub fn linux(spec: &Spec, sys: &Syscall) -> TokenStream {
    let fn_name = Ident::new(&stub_symbol(sys.name), Span::call_site());
    let nr = format_ident!("__NR_{}", sys.name);
    let params: Vec<Ident> = (0..sys.args).map(|i| format_ident!("a{i}")).collect();
    let types: Vec<TokenStream> = (0..sys.args)
        .map(|i| {
            if i == 0 && sys.fd_first {
                quote! { u32 }
            } else {
                quote! { usize }
            }
        })
        .collect();
    let doc = format!(
        "The `{}` system call (raw: returns `-errno` on failure).",
        sys.name
    );
    let (insn, _, regs, clobbers) = linux_abi(spec);
    let inputs = params.iter().zip(regs).map(|(p, r)| quote! { in(#r) #p, });
    let number = quote! { ::tiny::__private::linux_raw_sys::general::#nr as usize };
    let (options, safety) = if sys.writes_memory {
        (
            quote! { options(preserves_flags) },
            "SAFETY: the caller passes arguments that are valid for this system call; the kernel writes only the return register, the listed clobbers and the caller's memory the arguments point to.",
        )
    } else {
        (
            quote! { options(preserves_flags, readonly) },
            "SAFETY: the caller passes arguments that are valid for this system call; the kernel writes only the return register and the listed clobbers, no memory.",
        )
    };
    if sys.noreturn {
        quote! {
            #[doc = #doc]
            #[unsafe(no_mangle)]
            unsafe fn #fn_name(#(#params: #types),*) -> ! {
                comment!("SAFETY: this system call ends the process and does not return.");
                unsafe {
                    ::core::arch::asm!(#insn, in("rax") #number, #(#inputs)* options(noreturn, nostack))
                }
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            #[unsafe(no_mangle)]
            unsafe fn #fn_name(#(#params: #types),*) -> isize {
                let ret: isize;
                comment!(#safety);
                unsafe {
                    ::core::arch::asm!(
                        ".if {nr} < 128",
                        "push {nr}",
                        "pop rax",
                        ".else",
                        "mov eax, {nr}",
                        ".endif",
                        #insn,
                        nr = const #number,
                        lateout("rax") ret,
                        #(#inputs)*
                        #clobbers
                        #options
                    )
                }
                ret
            }
        }
    }
}

/// The stub that makes any Linux system call with `args` arguments, its number first:
/// `tiny::syscall!` calls it with a `linux-raw-sys` constant, and LTO inlines it at the call.
///
/// Unlike the runtime's own stubs it assumes nothing about the call: the kernel may write any
/// memory the arguments point to, so it is neither `readonly` nor `pure`.
pub fn linux_any(spec: &Spec, args: usize) -> TokenStream {
    let fn_name = Ident::new(&super::syscall_symbol(args), Span::call_site());
    let params: Vec<Ident> = (0..args).map(|i| format_ident!("a{i}")).collect();
    let doc = format!(
        "Any system call with {args} argument{}: `nr` is its number (raw: returns `-errno` on failure).",
        if args == 1 { "" } else { "s" }
    );
    let (insn, nr_reg, regs, clobbers) = linux_abi(spec);
    let inputs = params.iter().zip(regs).map(|(p, r)| quote! { in(#r) #p, });
    quote! {
        #[doc = #doc]
        #[unsafe(no_mangle)]
        unsafe fn #fn_name(nr: usize, #(#params: usize),*) -> isize {
            let ret: isize;
            comment!("SAFETY: the caller passes a system call number of the target and arguments that are valid for it; the kernel writes only the return register, the listed clobbers and memory the arguments point to.");
            unsafe {
                ::core::arch::asm!(
                    #insn,
                    inlateout(#nr_reg) nr as isize => ret,
                    #(#inputs)*
                    #clobbers
                    options(nostack, preserves_flags)
                )
            }
            ret
        }
    }
}

/// The Linux system call convention of `spec`'s architecture: the instruction, the register
/// that holds the number (and the result), the argument registers in order and what else the
/// kernel clobbers.
fn linux_abi(
    spec: &Spec,
) -> (
    &'static str,
    &'static str,
    &'static [&'static str],
    TokenStream,
) {
    match spec.arch {
        // x86-64 Linux: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9; the kernel
        // clobbers rcx and r11 (https://gitlab.com/x86-psABIs/x86-64-ABI, A.2.1).
        Arch::X86_64 => (
            "syscall",
            "rax",
            &["rdi", "rsi", "rdx", "r10", "r8", "r9"],
            quote! { lateout("rcx") _, lateout("r11") _, },
        ),
    }
}
