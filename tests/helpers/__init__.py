"""Helpers the tests import: hand-built stores (`store`), KPI rows (`kpis`), an independent
reading of the catalogue (`independent_kpis`, `independent`), the browser check of the compare
page (`browser_compare`) and the checkout's folders (`paths`)."""
