//! Small Chinese text helpers. (To be implemented.)
