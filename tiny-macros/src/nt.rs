//! `tiny::nt!(NtName(args…))`: a call to any `Nt*` function of ntdll.
//!
//! The expansion declares the function as tiny-build's generated code defines it
//! (`__tiny_nt_<Name>`, see `tiny_abi::nt_symbol!`), every argument a machine word, the
//! NTSTATUS an `i32`, and calls it; the caller's `unsafe` block covers the call (an `Nt*`
//! function reads and writes whatever its pointer arguments point to).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token, parenthesized};

/// `NtName(arg, …)`.
struct Call {
    name: Ident,
    args: Punctuated<Expr, Token![,]>,
}

impl Parse for Call {
    fn parse(input: ParseStream<'_>) -> syn::Result<Call> {
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected an ntdll function and its arguments: `tiny::nt!(NtClose(handle))`",
            )
        })?;
        let content;
        parenthesized!(content in input);
        let args = content.parse_terminated(Expr::parse, Token![,])?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the call's arguments"));
        }
        Ok(Call { name, args })
    }
}

/// The expansion, or the compile error.
pub fn nt(input: TokenStream) -> TokenStream {
    match syn::parse2::<Call>(input).and_then(|call| expand(&call)) {
        Ok(tokens) => tokens,
        Err(e) => {
            // an `i32` expression, so that the error is the only one
            let err = e.to_compile_error();
            quote! { { #err; 0i32 } }
        }
    }
}

fn expand(call: &Call) -> syn::Result<TokenStream> {
    let name = call.name.to_string();
    if !tiny_abi::windows::is_nt_name(&name) {
        return Err(syn::Error::new(
            call.name.span(),
            format!(
                "`{name}` is not an Nt* system call of any x64 Windows release tiny knows \
                 (tiny_abi::windows::NT_NAMES)"
            ),
        ));
    }
    let count = call.args.len();
    if count > tiny_abi::MAX_NT_ARGS {
        return Err(syn::Error::new(
            call.name.span(),
            format!(
                "`{name}` with {count} arguments: tiny::nt! passes at most {}",
                tiny_abi::MAX_NT_ARGS
            ),
        ));
    }
    let symbol = format!("{}{name}", tiny_abi::NT_PREFIX);
    // mixed-site: the caller's arguments cannot see (or clash with) these names
    let site = Span::mixed_site();
    let function = Ident::new("__tiny_nt", site);
    let params: Vec<Ident> = (0..count)
        .map(|i| format_ident!("a{}", i, span = site))
        .collect();
    let args = call.args.iter().map(|arg| {
        quote_spanned! {arg_span(arg)=> ::tiny::sys::IntoWord::into_word(#arg) }
    });
    let doc = format!("`{name}`, as the program's Windows mode reaches it.");
    Ok(quote! {
        {
            #[cfg(not(windows))]
            ::core::compile_error!("tiny::nt! calls ntdll: it is for Windows targets only");
            unsafe extern "system" {
                #[doc = #doc]
                #[link_name = #symbol]
                fn #function(#(#params: usize),*) -> i32;
            }
            #function(#(#args),*)
        }
    })
}

/// Where an argument's conversion errors point: at the argument.
fn arg_span(arg: &Expr) -> Span {
    syn::spanned::Spanned::span(arg)
}
