//! Entry point of the 履职自评 desktop app; everything happens in [`ziping_desktop::run`].

// Without this, a release build on Windows would also open a console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    ziping_desktop::run();
}
