//! `#[tiny::ctor]`: a function that runs before `main`.
//!
//! The expansion keeps the function and adds an entry piece (`tiny::__private::ctor_piece!`,
//! one small piece of machine code per architecture in tiny-rt) in an input section named by
//! `tiny_abi::CTOR_SECTION` and the function's line and column, so that the link step, which
//! puts those sections in the entry chain sorted by name, runs a file's constructors in source
//! order. A program without constructors has no such piece and pays nothing.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;

/// The expansion, or the compile error (with the function kept, so there is no cascade).
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match parse(args, item.clone()) {
        Ok(func) => {
            let name = &func.sig.ident;
            let start = name.span().unwrap().start();
            let key = format!("{:08}_{:05}_{name}", start.line(), start.column());
            let section = format!("{}.{key}", tiny_abi::CTOR_SECTION);
            let windows_section = format!("{}{key}", tiny_abi::WINDOWS_CTOR_SECTION);
            let symbol = format!("{}{key}", tiny_abi::CTOR_SYMBOL);
            let wrapper = format_ident!("__tiny_constructor_{}", name);
            quote! {
                #func

                /// Called by the entry piece before `main`, with the initial stack pointer on
                /// Linux (which the runtime keeps for `tiny::args`).
                #[doc(hidden)]
                extern "C" fn #wrapper(sp: *const usize) {
                    // SAFETY: on Linux `sp` is the stack pointer the kernel passed to the entry
                    // point (the entry piece is placed before anything changes it); Windows
                    // does not read it.
                    unsafe { ::tiny::__private::enter_ctor(sp) };
                    #name()
                }
                #[cfg(target_os = "linux")]
                const _: () = {
                    ::tiny::__private::ctor_piece!(#wrapper, #section, #symbol);
                };
                // (an item: `global_asm!` cannot be in a block)
                #[cfg(windows)]
                ::tiny::__private::ctor_piece!(#wrapper, #windows_section);
            }
        }
        Err(e) => {
            let err = e.to_compile_error();
            quote! {
                #err
                #[allow(unused)]
                #item
            }
        }
    }
}

fn parse(args: TokenStream, item: TokenStream) -> syn::Result<syn::ItemFn> {
    if !args.is_empty() {
        return Err(syn::Error::new(
            args.span(),
            "#[tiny::ctor] takes no arguments",
        ));
    }
    let func: syn::ItemFn = syn::parse2(item).map_err(|e| {
        syn::Error::new(
            e.span(),
            "#[tiny::ctor] goes on a function: `fn init() { … }`",
        )
    })?;
    let sig = &func.sig;
    let unsupported = |span: proc_macro2::Span, what: &str| {
        Err(syn::Error::new(
            span,
            format!("#[tiny::ctor] functions cannot be {what}: expected `fn name() {{ … }}`"),
        ))
    };
    if let Some(a) = &sig.asyncness {
        return unsupported(a.span(), "async");
    }
    if let Some(u) = &sig.unsafety {
        return unsupported(u.span(), "unsafe");
    }
    if !sig.generics.params.is_empty() {
        return unsupported(sig.generics.span(), "generic");
    }
    if !sig.inputs.is_empty() {
        return unsupported(sig.inputs.span(), "given parameters");
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        return unsupported(ty.span(), "returning a value");
    }
    Ok(func)
}
