//! Integration tests of the workbook reader: one fixture per messy-workbook feature, generated
//! with rust_xlsxwriter into temporary directories, the template round trip and a fuzz smoke run.

mod docx;
mod fixtures;
mod formats;
mod fuzz;
mod messy;
mod system;
mod template;
