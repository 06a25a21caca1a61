//! Code generation for `#[tiny::main]`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::parse;

/// The whole expansion: on error, the compile error plus a fallback entry, so the user sees
/// one error instead of a cascade (a missing `__tiny_main`, an unused function, …).
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    match parse::parse(args, item.clone()) {
        Ok(func) => expand(&func),
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

fn expand(func: &syn::ItemFn) -> TokenStream {
    let name = &func.sig.ident;
    // `main` runs exactly once: inlining it into the entry saves a call, a return and the
    // stack realignment around them.
    quote! {
        #[inline(always)]
        #func

        /// Runs the program's `main` and turns its result into an exit code
        /// (called by the entry point that tiny-build generated).
        #[doc(hidden)]
        #[inline(always)]
        fn __tiny_main() -> i32 {
            ::tiny::__private::Termination::report(#name())
        }

        ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/tiny.rs"));
    }
}
