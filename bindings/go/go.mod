module example.invalid/libservgap/servgap

go 1.19
