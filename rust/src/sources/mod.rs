//! Parsers of the sources ported from `medqa_ds/sources/`.

pub mod askadoctor;
pub mod askadoctor_free;
pub mod doctorqna;
pub mod fragment;
pub mod icliniq;
mod pyre;
pub mod signature;
