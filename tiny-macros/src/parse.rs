//! The shapes of `fn main` that `#[tiny::main]` accepts, and the errors for everything else.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{GenericArgument, ItemFn, PathArguments, ReturnType, Type};

const SHAPES: &str =
    "expected `fn main()`, `fn main() -> u8`, `fn main() -> i32` or `fn main() -> Result<(), E>`";

/// Parses and checks the attribute input; every error has the span of the offending tokens.
pub fn parse(args: TokenStream, item: TokenStream) -> syn::Result<ItemFn> {
    if !args.is_empty() {
        return Err(syn::Error::new_spanned(
            args,
            "#[tiny::main] takes no arguments: write `#[tiny::main]`",
        ));
    }
    let func: ItemFn = match syn::parse2::<syn::Item>(item)? {
        syn::Item::Fn(f) => f,
        other => {
            return Err(syn::Error::new_spanned(
                other,
                format!("#[tiny::main] goes on the program's `fn main`: {SHAPES}"),
            ));
        }
    };
    let sig = &func.sig;
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    if let Some(t) = &sig.asyncness {
        push(syn::Error::new(
            t.span(),
            "#[tiny::main] cannot be `async`: tiny has no executor",
        ));
    }
    if let Some(t) = &sig.unsafety {
        push(syn::Error::new(
            t.span(),
            "#[tiny::main] function cannot be `unsafe`: use an `unsafe` block inside it",
        ));
    }
    if let Some(t) = &sig.constness {
        push(syn::Error::new(
            t.span(),
            "#[tiny::main] function cannot be `const`",
        ));
    }
    if let Some(abi) = &sig.abi {
        push(syn::Error::new_spanned(
            abi,
            "#[tiny::main] function cannot have an ABI: remove it, tiny writes the entry point",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        push(syn::Error::new_spanned(
            &sig.generics,
            "#[tiny::main] function cannot be generic",
        ));
    }
    if !sig.inputs.is_empty() || sig.variadic.is_some() {
        push(syn::Error::new_spanned(
            &sig.inputs,
            "#[tiny::main] function takes no parameters: read arguments with `tiny::args()`",
        ));
    }
    let supported = match &sig.output {
        ReturnType::Default => true,
        ReturnType::Type(_, ty) => is_supported(ty),
    };
    if !supported {
        push(syn::Error::new_spanned(
            &sig.output,
            format!("unsupported return type for #[tiny::main]: {SHAPES}"),
        ));
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(func),
    }
}

/// `()`, `u8`, `i32` or `Result<(), E>`: the types `tiny::Termination` is implemented for.
fn is_supported(ty: &Type) -> bool {
    match ty {
        Type::Tuple(t) => t.elems.is_empty(),
        Type::Paren(p) => is_supported(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            match &last.arguments {
                PathArguments::None => last.ident == "u8" || last.ident == "i32",
                PathArguments::AngleBracketed(a) if last.ident == "Result" && a.args.len() == 2 => {
                    matches!(a.args.first(), Some(GenericArgument::Type(Type::Tuple(t))) if t.elems.is_empty())
                }
                _ => false,
            }
        }
        _ => false,
    }
}
