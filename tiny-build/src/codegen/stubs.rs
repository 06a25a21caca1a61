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
    let (insn, nr_reg, regs, clobbers) = linux_abi(spec);
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
                    ::core::arch::asm!(#insn, in(#nr_reg) #number, #(#inputs)* options(noreturn, nostack))
                }
            }
        }
    } else if spec.arch != Arch::X86_64 {
        // The number is an input: the push/pop load is x86-64's (see above). Nothing else
        // touches the stack (`nostack`): LLVM then sets up no frame for it (AArch64 would save
        // its frame record around an asm block that might call).
        let operands = plain_operands(spec, number, &params);
        let options = if sys.writes_memory {
            quote! { options(nostack, preserves_flags) }
        } else {
            quote! { options(nostack, preserves_flags, readonly) }
        };
        quote! {
            #[doc = #doc]
            #[unsafe(no_mangle)]
            unsafe fn #fn_name(#(#params: #types),*) -> isize {
                let ret: isize;
                comment!(#safety);
                unsafe {
                    ::core::arch::asm!(
                        #insn,
                        #operands
                        #clobbers
                        #options
                    )
                }
                ret
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
    let (insn, _, _, clobbers) = linux_abi(spec);
    let safety = "SAFETY: the caller passes a system call number of the target and arguments that are valid for it; the kernel writes only the return register, the listed clobbers and memory the arguments point to.";
    if spec.arch == Arch::X86 && args >= 4 {
        return x86_any(&fn_name, &doc, &params, safety);
    }
    let operands = plain_operands(spec, quote! { nr }, &params);
    quote! {
        #[doc = #doc]
        #[unsafe(no_mangle)]
        unsafe fn #fn_name(nr: usize, #(#params: usize),*) -> isize {
            let ret: isize;
            comment!(#safety);
            unsafe {
                ::core::arch::asm!(
                    #insn,
                    #operands
                    #clobbers
                    options(nostack, preserves_flags)
                )
            }
            ret
        }
    }
}

/// x86 (i686) with 4 to 6 arguments: Rust's inline assembly refuses `esi` and `ebp` as
/// operands (LLVM uses them itself), so the stub loads them from memory it saved them to.
/// With 4 arguments the fourth goes through a free register, exchanged with `esi` around
/// `int 0x80`; with 5 or 6 every register is taken, and `eax` holds a pointer to the number
/// and the arguments for `esi` (and `ebp`), which the stub loads after saving the registers.
fn x86_any(fn_name: &Ident, doc: &str, params: &[Ident], safety: &str) -> TokenStream {
    let [a0, a1, a2, a3, ..] = params else {
        unreachable!("x86_any: 4 to 6 arguments")
    };
    let body = match params {
        [_, _, _, _] => quote! {
            ::core::arch::asm!(
                "xchg esi, {a3}", // the fourth argument in esi, esi kept in its register
                "int 0x80",       // the system call
                "xchg esi, {a3}", // esi back
                a3 = inout(reg) #a3 => _,
                inlateout("eax") nr as isize => ret,
                in("ebx") #a0,
                in("ecx") #a1,
                in("edx") #a2,
                options(nostack, preserves_flags)
            )
        },
        [_, _, _, _, a4] => quote! {
            let words: [usize; 2] = [nr, #a3];
            ::core::arch::asm!(
                "push esi",             // saved
                "mov esi, [eax + 4]",   // the fourth argument
                "mov eax, [eax]",       // the number
                "int 0x80",             // the system call
                "pop esi",              // restored
                inlateout("eax") words.as_ptr() => ret,
                in("ebx") #a0,
                in("ecx") #a1,
                in("edx") #a2,
                in("edi") #a4,
                options(preserves_flags)
            )
        },
        [_, _, _, _, a4, a5] => quote! {
            let words: [usize; 3] = [nr, #a3, #a5];
            ::core::arch::asm!(
                "push ebp",             // saved
                "push esi",             // saved
                "mov esi, [eax + 4]",   // the fourth argument
                "mov ebp, [eax + 8]",   // the sixth
                "mov eax, [eax]",       // the number
                "int 0x80",             // the system call
                "pop esi",              // restored
                "pop ebp",              // restored
                inlateout("eax") words.as_ptr() => ret,
                in("ebx") #a0,
                in("ecx") #a1,
                in("edx") #a2,
                in("edi") #a4,
                options(preserves_flags)
            )
        },
        _ => unreachable!("x86_any: 4 to 6 arguments"),
    };
    quote! {
        #[doc = #doc]
        #[unsafe(no_mangle)]
        unsafe fn #fn_name(nr: usize, #(#params: usize),*) -> isize {
            let ret: isize;
            comment!(#safety);
            unsafe {
                #body
            }
            ret
        }
    }
}

/// The operands of a system call on an architecture other than x86-64 (whose runtime stubs
/// load their number themselves) and x86 past three arguments (`x86_any`): the number, the
/// result and the arguments. Where the first argument's register takes the result, the two
/// are one `inlateout` operand (an input and an output may not name one register apart).
fn plain_operands(spec: &Spec, number: TokenStream, params: &[Ident]) -> TokenStream {
    let (_, nr_reg, regs, _) = linux_abi(spec);
    let ret_reg = ret_register(spec);
    let (head, rest) = if nr_reg == ret_reg {
        (
            quote! { inlateout(#nr_reg) #number as isize => ret, },
            params,
        )
    } else if let Some((a0, rest)) = params.split_first() {
        let r0 = regs[0];
        (
            quote! { in(#nr_reg) #number, inlateout(#r0) #a0 as isize => ret, },
            rest,
        )
    } else {
        (
            quote! { in(#nr_reg) #number, lateout(#ret_reg) ret, },
            params,
        )
    };
    let skip = params.len() - rest.len();
    let inputs = rest
        .iter()
        .zip(&regs[skip..])
        .map(|(p, r)| quote! { in(#r) #p, });
    quote! { #head #(#inputs)* }
}

/// The register that holds a system call's result.
fn ret_register(spec: &Spec) -> &'static str {
    match spec.arch {
        Arch::X86_64 => "rax",
        Arch::X86 => "eax",
        Arch::Aarch64 => "x0",
        Arch::Riscv64 => "a0",
        Arch::Arm => "r0",
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
        // i386: number in eax, arguments in ebx, ecx, edx, esi, edi, ebp; `int 0x80` clobbers
        // nothing else (arch/x86/entry/entry_32.S). esi and ebp cannot be operands: see
        // `x86_any`; the runtime's own calls take at most three arguments.
        Arch::X86 => (
            "int 0x80",
            "eax",
            &["ebx", "ecx", "edx", "esi", "edi", "ebp"],
            quote! {},
        ),
        // AArch64: number in x8, arguments in x0..x5, result in x0 (syscall(2)).
        Arch::Aarch64 => (
            "svc #0",
            "x8",
            &["x0", "x1", "x2", "x3", "x4", "x5"],
            quote! {},
        ),
        // RISC-V: number in a7, arguments in a0..a5, result in a0 (syscall(2)).
        Arch::Riscv64 => (
            "ecall",
            "a7",
            &["a0", "a1", "a2", "a3", "a4", "a5"],
            quote! {},
        ),
        // ARM EABI: number in r7, arguments in r0..r5, result in r0 (syscall(2)). The code is
        // A32, where r7 is an ordinary register (Thumb would keep its frame pointer there).
        Arch::Arm => (
            "svc #0",
            "r7",
            &["r0", "r1", "r2", "r3", "r4", "r5"],
            quote! {},
        ),
    }
}
