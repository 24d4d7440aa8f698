//! Parsers of the sources ported from `medqa_ds/sources/`.

pub mod askadoctor;
pub mod askadoctor_free;
pub mod askthedoctor;
pub mod assemble;
pub mod conversation;
pub mod doctorqna;
pub mod fragment;
pub mod icliniq;
pub mod markers;
pub mod meddialog;
pub(crate) mod pyre;
pub mod signature;

/// `shared_specialty`: the page's specialty when it names none itself, the one canonical
/// specialty its answers share, else None (never a guess between two).
pub fn shared_specialty<'a>(
    specialties: impl IntoIterator<Item = Option<&'a String>>,
) -> Option<String> {
    let mut specs = specialties.into_iter().flatten();
    let first = specs.next()?;
    specs.all(|s| s == first).then(|| first.clone())
}
