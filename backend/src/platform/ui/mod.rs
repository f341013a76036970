//! Pages: the one layout, small components and form helpers, translations, the stylesheet and
//! the error pages. No feature logic lives here; views in features compose these pieces.

pub mod assets;
pub mod components;
pub mod errors;
pub mod i18n;
pub mod layout;
pub mod precompressed;
pub mod respond;
pub mod spreadsheet;
pub mod upload;

pub use components::FormErrors;
pub use i18n::Lang;
pub use layout::{Chrome, page};
