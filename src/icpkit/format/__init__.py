"""The ICP file itself: loading with marks, the schema, the model, plain-language descriptions.

No pandas, no click, no rule ids: everything above builds on this."""
