//! The Windows resolver against a real, independent `ntdll.dll`: Wine's (Debian `libwine`, pulled
//! in by `wine64`). These tests fail, never skip, when Wine is not installed.

use std::path::PathBuf;

use tiny_build::resolve::windows::{self, NotSyscallReason, Resolution, Source};
use tiny_build::resolve::{Alt, Dispatch};

fn wine_ntdll() -> PathBuf {
    windows::wine_candidates()
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "Wine's 64-bit ntdll.dll was not found in any of {:?}; install it with \
             `apt-get install wine64 libwine` (these tests need a real ntdll.dll)",
                windows::wine_candidates()
            )
        })
}

fn resolve() -> Resolution {
    let path = wine_ntdll();
    windows::resolve_file_from(&path, Source::Wine)
        .unwrap_or_else(|e| panic!("resolving Wine's ntdll failed: {e}"))
}

#[test]
fn every_syscall_stub_resolves_with_the_wine_shape() {
    let r = resolve();
    assert_eq!(r.source, Source::Wine);
    assert!(
        r.identity.wine,
        "wine_get_version is exported by Wine's ntdll"
    );
    let nt = r.stubs.iter().filter(|s| s.name.starts_with("Nt")).count();
    assert!(nt > 150, "only {nt} Nt* stubs");
    for stub in &r.stubs {
        assert_eq!(
            stub.dispatch,
            Dispatch::SharedDataTest {
                alt: Alt::WineCall,
                alt_offset: 21
            },
            "{}",
            stub.name
        );
        // Wine 8's 32-byte stub: mov r10,rcx; mov eax,N; test byte [7FFE0308h],1; jne +3;
        // syscall; ret; jmp +1; ret; call [7FFE1000h]; ret.
        assert_eq!(stub.bytes.len(), 32, "{}", stub.name);
        assert_eq!(stub.bytes, stub_bytes(stub.number), "{}", stub.name);
    }
}

/// Wine 8.0's stub for `number`, written out by hand from its winebuild output.
fn stub_bytes(number: u32) -> Vec<u8> {
    let mut bytes = vec![0x4c, 0x8b, 0xd1, 0xb8];
    bytes.extend_from_slice(&number.to_le_bytes());
    bytes.extend_from_slice(&[
        0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01, 0x75, 0x03, 0x0f, 0x05, 0xc3,
    ]);
    bytes.extend_from_slice(&[
        0xeb, 0x01, 0xc3, 0xff, 0x14, 0x25, 0x00, 0x10, 0xfe, 0x7f, 0xc3,
    ]);
    bytes
}

#[test]
fn numbers_follow_wines_sorted_name_order() {
    // Wine numbers its syscalls by sorted Nt name, from 0: an independent cross-check of every
    // number the decoder read.
    let r = resolve();
    let nt: Vec<_> = r
        .stubs
        .iter()
        .filter(|s| s.name.starts_with("Nt"))
        .collect();
    assert!(nt.windows(2).all(|w| w[0].name < w[1].name));
    for (index, stub) in nt.iter().enumerate() {
        assert_eq!(stub.number as usize, index, "{}", stub.name);
    }
    // Each Zw alias has its Nt function's number.
    for zw in r.stubs.iter().filter(|s| s.name.starts_with("Zw")) {
        let nt_name = format!("Nt{}", &zw.name[2..]);
        let nt = r
            .stub(&nt_name)
            .unwrap_or_else(|| panic!("{} has no {nt_name}", zw.name));
        assert_eq!(
            (zw.number, &zw.bytes),
            (nt.number, &nt.bytes),
            "{}",
            zw.name
        );
    }
    assert_eq!(r.stub("NtWriteFile").unwrap().number, 0xe0, "Wine 8.0");
    assert_eq!(r.stub("ZwWriteFile").unwrap().number, 0xe0);
}

#[test]
fn nt_functions_that_are_not_syscalls_are_listed_with_the_reason() {
    let r = resolve();
    let names: Vec<&str> = r.not_syscall.iter().map(|n| n.name.as_str()).collect();
    // NtGetTickCount is an ordinary function in Wine (it reads KUSER_SHARED_DATA).
    assert!(names.contains(&"NtGetTickCount"), "{names:?}");
    assert!(r.stub("NtGetTickCount").is_none());
    for other in &r.not_syscall {
        assert!(
            matches!(&other.reason, NotSyscallReason::Function { first_instruction } if !first_instruction.is_empty()),
            "{other:?}"
        );
        assert!(!other.reason.to_string().is_empty());
    }
}

#[test]
fn identity_is_recorded() {
    let r = resolve();
    let id = r.identity;
    assert_ne!(id.time_date_stamp, 0);
    assert!(id.size_of_image > 0x10_0000);
    let version = id
        .file_version
        .expect("Wine's ntdll has a version resource");
    assert!(version.major >= 5, "{version}");
    // Wine claims a Windows build, but its numbers are its own: no table applies.
    assert!(r.known_build().is_none());
    // The hash is deterministic.
    assert_eq!(id.stubs_hash, resolve().identity.stubs_hash);
}

#[test]
fn the_default_source_order_finds_wine() {
    // Unless TINY_NTDLL or a Windows host says otherwise.
    #[allow(clippy::disallowed_methods)] // the test only checks whether the override is set
    let overridden = std::env::var_os("TINY_NTDLL").is_some();
    if overridden || cfg!(windows) {
        return;
    }
    let (path, source) = windows::find_ntdll().expect("Wine's ntdll.dll");
    assert_eq!((path, source), (wine_ntdll(), Source::Wine));
    let resolved = windows::resolve_default(None).unwrap();
    assert_eq!(resolved.source(), Source::Wine);
    assert_eq!(resolved.number("NtWriteFile"), Some(0xe0));
}

/// The `Builder` entry point: an explicit `ntdll(path)` is resolved from that file, and a bad
/// file is an error that names it.
#[test]
fn builder_resolves_the_configured_ntdll() {
    let path = wine_ntdll();
    let resolved = tiny_build::Builder::new()
        .ntdll(&path)
        .cargo_metadata(false)
        .resolve_ntdll()
        .unwrap();
    match resolved {
        windows::Resolved::Image(r) => {
            assert_eq!((r.file.as_path(), r.source), (path.as_path(), Source::Path));
            assert_eq!(
                r.stub("NtWriteFile").map(|s| s.number),
                Some(0xe0),
                "Wine 8.0 numbers NtWriteFile 0xe0"
            );
        }
        windows::Resolved::Table(_) => panic!("an explicit path must not fall back to the table"),
    }
    let missing = std::env::temp_dir().join("tiny-no-such-ntdll.dll");
    let err = tiny_build::Builder::new()
        .ntdll(&missing)
        .cargo_metadata(false)
        .resolve_ntdll()
        .unwrap_err()
        .to_string();
    assert!(err.contains("tiny-no-such-ntdll.dll"), "{err}");
}

/// Every export name of Wine's ntdll has a `Runtime` record hash of its own (the runtime
/// refuses a hash that two names share), and every function the runtime calls is exported.
#[test]
fn export_names_have_distinct_hashes() {
    use pelite::pe64::{Pe, PeFile};
    use tiny_abi::windows::{NT_NAMES, export_hash};
    use tiny_build::codegen::windows::{WINDOWS_FUNCTIONS, WINDOWS_SYSCALLS};
    let bytes = std::fs::read(wine_ntdll()).unwrap();
    let pe = PeFile::from_bytes(&bytes).unwrap();
    let by = pe.exports().unwrap().by().unwrap();
    let mut names: Vec<String> = by
        .iter_names()
        .map(|(name, _)| name.unwrap().to_str().unwrap().to_owned())
        .collect();
    assert!(names.len() > 1000, "only {} names", names.len());
    for wanted in WINDOWS_SYSCALLS.iter().chain(WINDOWS_FUNCTIONS) {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} is not exported"
        );
    }
    names.sort_unstable_by_key(|n| export_hash(n));
    for pair in names.windows(2) {
        assert_ne!(
            export_hash(&pair[0]),
            export_hash(&pair[1]),
            "{} and {} share a hash",
            pair[0],
            pair[1]
        );
    }
    // a name `tiny::nt!` accepts that Wine lacks is refused at start, never taken for another
    // export that only shares its hash
    for wanted in NT_NAMES {
        if let Ok(i) = names.binary_search_by_key(&export_hash(wanted), |n| export_hash(n)) {
            assert_eq!(
                &names[i], wanted,
                "{wanted} shares a hash with Wine's {}",
                names[i]
            );
        }
    }
}
