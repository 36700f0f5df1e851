module goalloc-replay/goruntime

go 1.19
