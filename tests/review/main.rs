//! The second review's findings (issue 19), each with a test that failed on
//! the code before the fix: exits and records, pools, and transfer hooks.

mod exits;
mod hook;
mod pool;
