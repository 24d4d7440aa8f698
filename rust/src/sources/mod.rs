//! Parsers of the sources ported from `medqa_ds/sources/`.

pub mod askadoctor;
pub mod askadoctor_free;
pub mod askthedoctor;
pub mod conversation;
pub mod doctorqna;
pub mod fragment;
pub mod icliniq;
pub mod meddialog;
pub(crate) mod pyre;
pub mod signature;
