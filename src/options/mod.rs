//! Options objects: where they are read from ([`source`]) and the one set of options the three
//! chat classes take ([`set`]).

pub mod set;
pub mod source;
