//! Fuzz target: the Windows resolver's from-bytes entry point must return `Ok` or a typed error
//! for any input, never panic, hang or read out of bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(resolution) = tiny_build::resolve::windows::resolve_bytes("fuzz.dll", data) {
        // Everything a resolution promises holds for whatever got through.
        for stub in &resolution.stubs {
            assert!(stub.number_offset + 4 <= stub.bytes.len());
            assert_eq!(
                &stub.bytes[stub.number_offset..stub.number_offset + 4],
                &stub.number.to_le_bytes()
            );
        }
        assert!(resolution.stubs.windows(2).all(|w| w[0].name < w[1].name));
    }
});
