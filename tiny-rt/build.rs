//! Refuses unsupported targets with the same message as the program's own build script, before
//! rustc reports a less helpful error from inside the runtime.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").ok();
    let os = std::env::var("CARGO_CFG_TARGET_OS").ok();
    if let Err(e) = tiny_build::Spec::new(&target, arch.as_deref(), os.as_deref()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
