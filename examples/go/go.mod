module libservgap/examples/go

go 1.19

require libservgap/bindings/go v0.0.0

replace libservgap/bindings/go => ../../bindings/go
