//! `tiny::syscall!(name, args…)`: any Linux system call by its kernel name.
//!
//! The expansion names the number as `linux-raw-sys` defines it for the target
//! (`::tiny::sys::__NR_<name>`, which rustc evaluates for the target) and calls the generated
//! stub for that many arguments, each argument converted with `tiny::sys::IntoWord`. The macro
//! runs on the host and cannot see the target, so it checks the name against `tiny-abi`'s list
//! for every architecture tiny supports and puts a `compile_error!` behind the `cfg` of each
//! architecture that lacks it, naming the call to use there instead.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

/// `name` then up to six comma-separated argument expressions.
pub struct Call {
    name: Ident,
    args: Vec<Expr>,
}

impl Parse for Call {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        let mut args = Vec::new();
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
            let rest = Punctuated::<Expr, Token![,]>::parse_terminated(input)?;
            args = rest.into_iter().collect();
        }
        Ok(Call { name, args })
    }
}

/// The expansion of `tiny::syscall!` (raw `isize` result) or, with `checked`,
/// `tiny::try_syscall!` (`Result<usize, tiny::Errno>`).
pub fn expand(input: TokenStream, checked: bool) -> TokenStream {
    let call: Call = match syn::parse2(input) {
        Ok(c) => c,
        Err(e) => return e.to_compile_error(),
    };
    let name = call.name.to_string();
    let span = call.name.span();
    if call.args.len() > tiny_abi::MAX_SYSCALL_ARGS {
        let msg = format!(
            "a Linux system call takes at most {} arguments; `{name}` is given {}",
            tiny_abi::MAX_SYSCALL_ARGS,
            call.args.len()
        );
        return quote_spanned!(span=> ::core::compile_error!(#msg));
    }
    let have: Vec<&str> = tiny_abi::linux::ARCHES
        .iter()
        .copied()
        .filter(|a| tiny_abi::linux::names(a).is_some_and(|n| n.binary_search(&&*name).is_ok()))
        .collect();
    if have.is_empty() {
        let msg = format!("unknown Linux system call `{name}`");
        return quote_spanned!(span=> ::core::compile_error!(#msg));
    }
    let nr = format_ident!("__NR_{}", name, span = span);
    // the constant's name cannot capture (or be captured by) a name in the arguments
    let konst = Ident::new("NR", Span::mixed_site());
    let mut number = quote! {
        #[cfg(all(target_os = "linux", any(#(target_arch = #have),*)))]
        const #konst: usize = ::tiny::sys::#nr as usize;
        #[cfg(not(target_os = "linux"))]
        const #konst: usize = {
            ::core::compile_error!("`tiny::syscall!` calls the Linux kernel; on Windows use `tiny::nt!`");
            0
        };
    };
    for arch in tiny_abi::linux::ARCHES.iter().filter(|a| !have.contains(a)) {
        let msg = match tiny_abi::linux::instead(&name, arch) {
            Some(other) => {
                format!("`{name}` is not a system call on {arch} Linux: use `{other}` instead")
            }
            None => format!("`{name}` is not a system call on {arch} Linux"),
        };
        number.extend(quote_spanned! {span=>
            #[cfg(all(target_os = "linux", target_arch = #arch))]
            const #konst: usize = {
                ::core::compile_error!(#msg);
                0
            };
        });
    }
    let entry = format_ident!("syscall{}", call.args.len(), span = Span::mixed_site());
    let args = call
        .args
        .iter()
        .map(|a| quote! { ::tiny::sys::IntoWord::into_word(#a) });
    let raw = quote! { ::tiny::__private::#entry(#konst, #(#args),*) };
    let result = if checked {
        quote! { ::tiny::sys::check(#raw) }
    } else {
        raw
    };
    quote! {
        {
            #number
            #result
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(input: &str) -> String {
        expand(input.parse().unwrap(), false).to_string()
    }

    #[test]
    fn a_call_some_architectures_lack_names_the_one_to_use() {
        let out = expanded("open, c\"x\", 0");
        // x86_64 and x86 have `open`: the linux-raw-sys constant
        assert!(out.contains("__NR_open"), "{out}");
        assert!(out.contains("target_arch = \"x86_64\""), "{out}");
        // aarch64 and riscv64 do not: an error behind their cfg, with the replacement
        for arch in ["aarch64", "riscv64"] {
            assert!(
                out.contains(&format!(
                    "`open` is not a system call on {arch} Linux: use `openat` instead"
                )),
                "{out}"
            );
        }
        assert!(!out.contains("on x86_64 Linux"), "{out}");
    }

    #[test]
    fn every_architecture_has_the_runtime_calls_or_a_replacement() {
        for call in tiny_abi::linux::RUNTIME_CALLS {
            for arch in tiny_abi::linux::ARCHES {
                let names = tiny_abi::linux::names(arch).unwrap();
                assert!(
                    names.binary_search(&call.name).is_ok()
                        || tiny_abi::linux::instead(call.name, arch).is_some(),
                    "{} on {arch}",
                    call.name
                );
            }
        }
    }

    #[test]
    fn arity_picks_the_stub_and_converts_each_argument() {
        let out = expanded("mmap, 0, 4096, 3, 0x22, -1, 0");
        assert!(out.contains("syscall6"), "{out}");
        assert_eq!(out.matches("IntoWord :: into_word").count(), 6, "{out}");
        let out = expanded("getpid");
        assert!(
            out.contains("syscall0 (NR ,)") || out.contains("syscall0 (NR)"),
            "{out}"
        );
    }
}
