module libservgap/examples/go

go 1.19

require example.invalid/libservgap/servgap v0.0.0

replace example.invalid/libservgap/servgap => ../../bindings/go
