//! Windows: how the runtime reaches ntdll's system calls.
//!
//! The runtime (`tiny-rt`, `os/windows.rs`) asks the generated code two things: the address of
//! a pinned stub for a system call name, and the identity of the ntdll it was pinned to. In
//! `Runtime` mode both answers are 0 (the runtime finds every export in the loaded ntdll); in
//! `Pinned` mode the generated code holds a byte-for-byte copy of each stub of the resolved
//! ntdll (Wine's stubs work only when entered through an exact copy) and its identity, which
//! the runtime checks at start before any copy is called.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// The `Nt*` system calls the Windows runtime makes.
pub const WINDOWS_SYSCALLS: &[&str] = &[
    "NtClose",
    "NtOpenFile",
    "NtQueryInformationFile",
    "NtQueryVolumeInformationFile",
    "NtReadFile",
    "NtTerminateProcess",
    "NtWaitForSingleObject",
    "NtWriteFile",
];

/// What a `Pinned` program is pinned to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinning {
    /// The ntdll's `TimeDateStamp`.
    pub time_date_stamp: u32,
    /// The ntdll's `SizeOfImage`.
    pub size_of_image: u32,
    /// `(name, stub bytes)` for each of [`WINDOWS_SYSCALLS`], in that order.
    pub stubs: Vec<(String, Vec<u8>)>,
}

impl Pinning {
    /// The identity as the runtime computes it: `TimeDateStamp << 32 | SizeOfImage`.
    pub fn identity(&self) -> u64 {
        u64::from(self.time_date_stamp) << 32 | u64::from(self.size_of_image)
    }
}

/// The generated answers for `pinning` (`None`: `Runtime` mode).
pub fn tokens(pinning: Option<&Pinning>) -> TokenStream {
    let Some(pin) = pinning else {
        return quote! {
            /// `Runtime` mode: no stub is pinned; the runtime finds ntdll's exports itself.
            #[unsafe(no_mangle)]
            fn __tiny_pinned_stub(_name: *const u8) -> usize {
                0
            }
            /// `Runtime` mode: any ntdll.
            #[unsafe(no_mangle)]
            fn __tiny_pinned_ntdll() -> u64 {
                0
            }
        };
    };
    let identity: TokenStream = format!("{:#018x}_u64", pin.identity())
        .parse()
        .expect("a hex literal");
    let mut arms = Vec::new();
    let mut stubs = Vec::new();
    for (name, bytes) in &pin.stubs {
        let stub = Ident::new(&format!("__tiny_stub_{name}"), Span::call_site());
        let key = Literal::byte_string(name.as_bytes());
        let asm = format!(
            ".byte {}",
            bytes
                .iter()
                .map(|b| format!("{b:#04x}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let doc = format!(
            "A copy of the pinned ntdll's `{name}` stub ({} bytes).",
            bytes.len()
        );
        arms.push(quote! { #key => #stub as *const () as usize, });
        stubs.push(quote! {
            #[doc = #doc]
            #[unsafe(naked)]
            unsafe extern "C" fn #stub() {
                ::core::arch::naked_asm!(#asm)
            }
        });
    }
    quote! {
        /// `Pinned` mode: the program's copy of the pinned ntdll's stub for `name`, 0 for
        /// other names.
        #[unsafe(no_mangle)]
        unsafe fn __tiny_pinned_stub(name: *const u8) -> usize {
            safety_comment!("SAFETY: the runtime passes a NUL-terminated name.");
            let name = unsafe { ::core::ffi::CStr::from_ptr(name.cast()) }.to_bytes();
            match name {
                #(#arms)*
                _ => 0,
            }
        }
        /// `Pinned` mode: the identity of the ntdll the stubs were copied from,
        /// `TimeDateStamp << 32 | SizeOfImage`.
        #[unsafe(no_mangle)]
        fn __tiny_pinned_ntdll() -> u64 {
            #identity
        }
        #(#stubs)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Spec;

    #[test]
    fn pinned_code_copies_the_stubs_byte_for_byte() {
        let spec = Spec::new("x86_64-pc-windows-gnu", None, None).unwrap();
        let wine_stub = vec![0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0, 0, 0, 0xc3];
        let pin = Pinning {
            time_date_stamp: 0x63f1_4e2b,
            size_of_image: 0x36_1000,
            stubs: vec![("NtWriteFile".into(), wine_stub)],
        };
        let src = crate::codegen::generate_pinned(&spec, Some(&pin));
        assert!(
            src.contains(".byte 0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0x00, 0x00, 0x00, 0xc3"),
            "{src}"
        );
        assert!(src.contains("0x63f14e2b00361000"), "{src}");
        assert!(
            src.contains("b\"NtWriteFile\" => __tiny_stub_NtWriteFile"),
            "{src}"
        );
        assert_eq!(
            src,
            crate::codegen::generate_pinned(&spec, Some(&pin)),
            "deterministic"
        );
        let runtime = crate::codegen::generate(&spec);
        assert!(
            runtime.contains("fn __tiny_pinned_ntdll() -> u64 {\n    0\n}"),
            "{runtime}"
        );
    }
}
