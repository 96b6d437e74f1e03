module libservgap/bindings/go

go 1.19
