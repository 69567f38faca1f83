use backstop_tests::*;
