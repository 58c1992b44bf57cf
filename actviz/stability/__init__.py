"""The stability scan: where naive formulas and actviz's kernels overflow or lose accuracy.

The public face (the rest of actviz uses only these names): :func:`scan` ->
:class:`StabilityResult` (``to_dict()``: the JSON), :func:`format_text`, :func:`parse_dtypes`,
:func:`check_range`, the dtype helpers and the naive formulas.

Inside: :mod:`.dtypes` (types and grids), :mod:`.reference` (the verified true values),
:mod:`.naive` (textbook formulas in one dtype), :mod:`.scan` (classification and the scan),
:mod:`.report` (text).
"""

from actviz.stability import dtypes, naive
from actviz.stability.dtypes import (
    DTYPES,
    bfloat16,
    check_range,
    dtype_info,
    grid,
    numpy_dtype,
    parse_dtypes,
)
from actviz.stability.reference import Reference
from actviz.stability.report import describe_scan, format_text, spans
from actviz.stability.scan import (
    DEFAULT_DTYPES,
    DEFAULT_RANGE,
    KINDS,
    RTOL,
    DtypeScan,
    Interval,
    Scan,
    StabilityResult,
    classify,
    scan,
)

__all__ = ["scan", "StabilityResult", "DtypeScan", "Scan", "Interval", "format_text",
           "describe_scan", "spans", "parse_dtypes", "check_range", "dtype_info", "grid",
           "numpy_dtype", "bfloat16", "classify", "Reference", "naive", "dtypes", "DTYPES",
           "DEFAULT_DTYPES", "DEFAULT_RANGE", "KINDS", "RTOL"]
