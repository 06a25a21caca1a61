//! Stub recognition with iced-x86's decoder: bytes → a known shape, or the reason they are not one.
//!
//! Shapes are matched on decoded instructions (operands included), never on byte offsets, so an
//! equivalent encoding (`49 89 ca` for `mov r10, rcx`, `jne rel32`) is accepted and its bytes are
//! kept as they are. Every path of the stub is followed: the fall-through `syscall; ret` and, for
//! the `KUSER_SHARED_DATA` test, the `jne` target, through forward short jumps inside the stub
//! (Wine's alternative path is `jmp 1f; ret; 1: call [0x7FFE1000]; ret`).

use iced_x86::{
    Code, Decoder, DecoderError, DecoderOptions, Instruction, Mnemonic, OpKind, Register,
};

use crate::resolve::{Alt, Dispatch};

/// The longest stub looked at, in bytes. Known stubs are 11 (Windows 7), 23 (Windows 10/11) and
/// 32 (Wine 8.0) bytes long.
pub(crate) const MAX_STUB: usize = 64;

/// `KUSER_SHARED_DATA.SystemCall`: bit 0 set means "enter through the alternative path".
const SHARED_SYSTEM_CALL: u64 = 0x7FFE_0308;
/// Where Wine stores the address of its syscall dispatcher (inside `KUSER_SHARED_DATA`).
const WINE_SYSCALL_DISPATCHER: u64 = 0x7FFE_1000;
/// Forward jumps followed on the alternative path before giving up.
const MAX_HOPS: usize = 2;

/// A recognised stub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub number: u32,
    pub dispatch: Dispatch,
    /// Bytes from the start to the end of the last instruction of the shape.
    pub len: usize,
    /// Offset of the `u32` immediate of `mov eax, N`.
    pub number_offset: usize,
}

/// Why bytes are not a recognised stub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mismatch {
    /// The first instruction is an ordinary one, not `mov r10, rcx`: a function, not a stub.
    NotSyscall { first: String },
    /// Control leaves the stub (`jmp`, `call`, `int3`, …) where a stub instruction belongs.
    Hooked { offset: usize, found: String },
    /// Some other instruction where the shape needs `expected`.
    Unknown {
        offset: usize,
        found: String,
        expected: &'static str,
    },
    /// The bytes end inside the stub: the instruction at `offset` needs more than `available`.
    Truncated { offset: usize, available: usize },
}

/// Recognises the stub at the start of `bytes` (the bytes from the export to the end of its
/// section's data; only the first [`MAX_STUB`] are looked at).
pub(crate) fn shape(bytes: &[u8]) -> Result<Shape, Mismatch> {
    let window = &bytes[..bytes.len().min(MAX_STUB)];
    let d = Reader {
        window,
        truncated: bytes.len() < MAX_STUB,
    };

    let first = d.at(0)?;
    if !is_mov_r10_rcx(&first) {
        let second = d.at(first.len()).ok();
        if is_hook_opening(&first, second.as_ref()) {
            return Err(Mismatch::Hooked {
                offset: 0,
                found: d.describe(&first),
            });
        }
        return Err(Mismatch::NotSyscall {
            first: d.describe(&first),
        });
    }
    let mut end = first.len();

    let mov = d.expect(end, "mov eax, imm32", is_mov_eax_imm32)?;
    let number = mov.immediate32();
    let number_offset = end + mov.len() - 4;
    end += mov.len();

    let third = d.expect(end, "syscall or test byte ptr [0x7FFE0308], 1", |i| {
        i.code() == Code::Syscall || is_shared_data_test(i)
    })?;
    end += third.len();

    if third.code() == Code::Syscall {
        let ret = d.expect(end, "ret", is_ret)?;
        end += ret.len();
        return Ok(Shape {
            number,
            dispatch: Dispatch::Syscall,
            len: end,
            number_offset,
        });
    }

    let jne = d.expect(end, "jne", |i| {
        matches!(i.code(), Code::Jne_rel8_64 | Code::Jne_rel32_64)
    })?;
    let jne_offset = end;
    end += jne.len();
    let syscall = d.expect(end, "syscall", |i| i.code() == Code::Syscall)?;
    end += syscall.len();
    let ret = d.expect(end, "ret", is_ret)?;
    end += ret.len();

    // The alternative path starts after the fall-through path and stays inside the window.
    let alt_offset = forward_target(&jne, end, window.len()).ok_or_else(|| Mismatch::Unknown {
        offset: jne_offset,
        found: d.describe(&jne),
        expected: "jne to after the syscall path",
    })?;
    let mut at = alt_offset;
    for _ in 0..=MAX_HOPS {
        let insn = d.expect(
            at,
            "int 2Eh, call qword ptr [0x7FFE1000] or a short jmp",
            |i| {
                is_int_2e(i)
                    || is_wine_call(i)
                    || matches!(i.code(), Code::Jmp_rel8_64 | Code::Jmp_rel32_64)
            },
        )?;
        let next = at + insn.len();
        if matches!(insn.code(), Code::Jmp_rel8_64 | Code::Jmp_rel32_64) {
            at = forward_target(&insn, next, window.len()).ok_or_else(|| Mismatch::Hooked {
                offset: at,
                found: d.describe(&insn),
            })?;
            end = end.max(next);
            continue;
        }
        let alt = if is_int_2e(&insn) {
            Alt::Int2e
        } else {
            Alt::WineCall
        };
        let ret = d.expect(next, "ret", is_ret)?;
        end = end.max(next + ret.len());
        return Ok(Shape {
            number,
            dispatch: Dispatch::SharedDataTest { alt, alt_offset },
            len: end,
            number_offset,
        });
    }
    Err(Mismatch::Unknown {
        offset: at,
        found: d.describe(&d.at(at)?),
        expected: "at most two jumps on the alternative path",
    })
}

/// Decodes single instructions at offsets of the window (instruction pointer = offset).
struct Reader<'a> {
    window: &'a [u8],
    /// Whether the window is the whole of the available bytes (so running off its end means the
    /// stub is truncated rather than too long).
    truncated: bool,
}

impl Reader<'_> {
    fn at(&self, offset: usize) -> Result<Instruction, Mismatch> {
        let available = self.window.len();
        let too_short = || {
            if self.truncated {
                Mismatch::Truncated { offset, available }
            } else {
                Mismatch::Unknown {
                    offset,
                    found: format!("more than {MAX_STUB} bytes"),
                    expected: "a stub of at most 64 bytes",
                }
            }
        };
        let rest = self
            .window
            .get(offset..)
            .filter(|rest| !rest.is_empty())
            .ok_or_else(too_short)?;
        let mut decoder = Decoder::with_ip(64, rest, offset as u64, DecoderOptions::NONE);
        let insn = decoder.decode();
        if insn.is_invalid() {
            if decoder.last_error() == DecoderError::NoMoreBytes {
                return Err(too_short());
            }
            let found = format!(
                "an invalid instruction ({})",
                hex(&rest[..rest.len().min(4)])
            );
            return Err(Mismatch::Unknown {
                offset,
                found,
                expected: "a valid instruction",
            });
        }
        Ok(insn)
    }

    /// The instruction at `offset` if `ok` accepts it; otherwise a hook or an unknown shape.
    fn expect(
        &self,
        offset: usize,
        expected: &'static str,
        ok: impl Fn(&Instruction) -> bool,
    ) -> Result<Instruction, Mismatch> {
        let insn = self.at(offset)?;
        if ok(&insn) {
            return Ok(insn);
        }
        let found = self.describe(&insn);
        if leaves_stub(&insn) {
            Err(Mismatch::Hooked { offset, found })
        } else {
            Err(Mismatch::Unknown {
                offset,
                found,
                expected,
            })
        }
    }

    /// `jmp (e9 78 56 34 12)`: the mnemonic (no formatter needed) and the encoded bytes.
    fn describe(&self, insn: &Instruction) -> String {
        let start = insn.ip() as usize;
        let bytes = &self.window[start..start + insn.len()];
        format!(
            "{} ({})",
            format!("{:?}", insn.mnemonic()).to_lowercase(),
            hex(bytes)
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}

/// The target of a relative jump if it is strictly forward of `min` and inside the window.
fn forward_target(insn: &Instruction, min: usize, window: usize) -> Option<usize> {
    let target = usize::try_from(insn.near_branch_target()).ok()?;
    (target >= min && target < window).then_some(target)
}

fn is_mov_r10_rcx(i: &Instruction) -> bool {
    matches!(i.code(), Code::Mov_r64_rm64 | Code::Mov_rm64_r64)
        && i.op0_kind() == OpKind::Register
        && i.op1_kind() == OpKind::Register
        && i.op0_register() == Register::R10
        && i.op1_register() == Register::RCX
}

fn is_mov_eax_imm32(i: &Instruction) -> bool {
    matches!(i.code(), Code::Mov_r32_imm32 | Code::Mov_rm32_imm32)
        && i.op0_kind() == OpKind::Register
        && i.op0_register() == Register::EAX
}

/// A memory operand that is a plain absolute address: no base, no index, no segment override.
fn is_absolute(i: &Instruction, address: u64) -> bool {
    i.op0_kind() == OpKind::Memory
        && i.memory_base() == Register::None
        && i.memory_index() == Register::None
        && i.segment_prefix() == Register::None
        && i.memory_displacement64() == address
}

fn is_shared_data_test(i: &Instruction) -> bool {
    i.code() == Code::Test_rm8_imm8 && is_absolute(i, SHARED_SYSTEM_CALL) && i.immediate8() == 1
}

fn is_int_2e(i: &Instruction) -> bool {
    i.code() == Code::Int_imm8 && i.immediate8() == 0x2E
}

fn is_wine_call(i: &Instruction) -> bool {
    i.code() == Code::Call_rm64 && is_absolute(i, WINE_SYSCALL_DISPATCHER)
}

fn is_ret(i: &Instruction) -> bool {
    i.code() == Code::Retnq
}

/// Instructions that take control out of a stub (or stop it) where a stub has none.
fn leaves_stub(i: &Instruction) -> bool {
    matches!(
        i.mnemonic(),
        Mnemonic::Jmp
            | Mnemonic::Call
            | Mnemonic::Int3
            | Mnemonic::Int
            | Mnemonic::Int1
            | Mnemonic::Ud0
            | Mnemonic::Ud1
            | Mnemonic::Ud2
            | Mnemonic::Hlt
            | Mnemonic::Ret
            | Mnemonic::Retf
    )
}

/// The first instruction(s) of an export that was patched to go somewhere else: a jump, call or
/// trap, `push imm; ret`, or `mov reg, imm64` followed by `jmp/call/push reg`.
fn is_hook_opening(first: &Instruction, second: Option<&Instruction>) -> bool {
    if leaves_stub(first) {
        return true;
    }
    let Some(second) = second else { return false };
    let pushes_imm = first.mnemonic() == Mnemonic::Push
        && matches!(
            first.op0_kind(),
            OpKind::Immediate8to64 | OpKind::Immediate32to64
        );
    if pushes_imm && second.mnemonic() == Mnemonic::Ret {
        return true;
    }
    let loads_address = first.code() == Code::Mov_r64_imm64;
    loads_address
        && matches!(
            second.mnemonic(),
            Mnemonic::Jmp | Mnemonic::Call | Mnemonic::Push
        )
        && second.op0_kind() == OpKind::Register
        && second.op0_register() == first.op0_register()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mov r10,rcx; mov eax,0x55`
    const HEAD: [u8; 8] = [0x4c, 0x8b, 0xd1, 0xb8, 0x55, 0, 0, 0];
    /// `test byte ptr [0x7FFE0308],1; jne +3; syscall; ret`
    const TEST: [u8; 13] = [
        0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01, 0x75, 0x03, 0x0f, 0x05, 0xc3,
    ];

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn windows_7() {
        let bytes = cat(&[
            &HEAD,
            &[0x0f, 0x05, 0xc3],
            &[0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0],
        ]);
        let shape = shape(&bytes).unwrap();
        assert_eq!(shape.number, 0x55);
        assert_eq!(shape.dispatch, Dispatch::Syscall);
        assert_eq!((shape.len, shape.number_offset), (11, 4));
    }

    #[test]
    fn windows_10() {
        let bytes = cat(&[
            &HEAD,
            &TEST,
            &[0xcd, 0x2e, 0xc3],
            &[0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0, 0],
        ]);
        let shape = shape(&bytes).unwrap();
        let dispatch = Dispatch::SharedDataTest {
            alt: Alt::Int2e,
            alt_offset: 21,
        };
        assert_eq!(
            (shape.number, shape.dispatch, shape.len),
            (0x55, dispatch, 24)
        );
    }

    #[test]
    fn wine() {
        let tail = [
            0xeb, 0x01, 0xc3, 0xff, 0x14, 0x25, 0x00, 0x10, 0xfe, 0x7f, 0xc3,
        ];
        let bytes = cat(&[&HEAD, &TEST, &tail, &[0xcc; 16]]);
        let shape = shape(&bytes).unwrap();
        let dispatch = Dispatch::SharedDataTest {
            alt: Alt::WineCall,
            alt_offset: 21,
        };
        assert_eq!(
            (shape.number, shape.dispatch, shape.len),
            (0x55, dispatch, 32)
        );
    }

    #[test]
    fn other_encoding_of_mov_r10_rcx() {
        let bytes = cat(&[&[0x49, 0x89, 0xca, 0xb8, 1, 0, 0, 0, 0x0f, 0x05, 0xc3]]);
        assert_eq!(shape(&bytes).unwrap().number, 1);
    }

    #[test]
    fn refusals() {
        let hooked = |bytes: &[u8]| matches!(shape(bytes), Err(Mismatch::Hooked { .. }));
        assert!(hooked(&[0xe9, 0, 0, 0, 0, 0xc3]));
        assert!(hooked(&[0xcc, 0xc3]));
        assert!(hooked(&[0xff, 0x25, 0, 0, 0, 0]));
        assert!(hooked(&[0x68, 1, 2, 3, 4, 0xc3]));
        assert!(hooked(&[0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xe0]));
        assert!(hooked(&cat(&[&HEAD, &[0xe9, 0, 0, 0, 0]])));
        // A backward or out-of-stub jump on the alternative path leaves the stub.
        assert!(hooked(&cat(&[&HEAD, &TEST, &[0xeb, 0x80, 0xc3]])));
        assert!(matches!(
            shape(&cat(&[&HEAD, &[0x0f, 0x05]])),
            Err(Mismatch::Truncated {
                offset: 10,
                available: 10
            })
        ));
        assert!(matches!(
            shape(&HEAD[..6]),
            Err(Mismatch::Truncated { offset: 3, .. })
        ));
        assert!(matches!(
            shape(&[]),
            Err(Mismatch::Truncated { offset: 0, .. })
        ));
        assert!(matches!(
            shape(&cat(&[&HEAD, &[0x90, 0x0f, 0x05, 0xc3]])),
            Err(Mismatch::Unknown { offset: 8, .. })
        ));
        assert!(matches!(
            shape(&[0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3]),
            Err(Mismatch::NotSyscall { .. })
        ));
        // `int 2Eh` with a different vector, `call` through another address.
        assert!(shape(&cat(&[&HEAD, &TEST, &[0xcd, 0x2d, 0xc3]])).is_err());
        let other_call = [0xff, 0x14, 0x25, 0x08, 0x10, 0xfe, 0x7f, 0xc3];
        assert!(hooked(&cat(&[&HEAD, &TEST, &other_call])));
    }
}
