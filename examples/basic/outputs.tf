output "catalog" {
  description = "Everything the module exposes."
  value       = module.catalog
}
