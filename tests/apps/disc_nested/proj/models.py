GREETING = "hello from a relative import"
