"""Who holds authority over a Daerah Irigasi: the Permen PUPR 14/2015 classes and rules.

Shared by the reference reader (which notes where a D.I.'s own kewenangan differs from these
thresholds) and the authority check (which cites them).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DI_CLASS_LEVEL", "DI_CLASS_TEXT", "DI_RULES", "di_class", "expected_level_of_di"]

#: The rule cited per class of D.I.
DI_RULES = {
    "strategis": "Permen PUPR 14/2015: D.I. strategis nasional kewenangan Pemerintah Pusat",
    "lintas_provinsi": "Permen PUPR 14/2015: D.I. lintas provinsi kewenangan Pemerintah Pusat",
    "besar": "Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat",
    "sedang": "Permen PUPR 14/2015: D.I. 1.000-3.000 ha kewenangan Pemerintah Provinsi",
    "lintas_kabupaten": (
        "Permen PUPR 14/2015: D.I. lintas kabupaten/kota kewenangan Pemerintah Provinsi"
    ),
    "kecil": (
        "Permen PUPR 14/2015: D.I. < 1.000 ha dalam satu kabupaten/kota kewenangan "
        "Pemerintah Kabupaten/Kota"
    ),
}
DI_CLASS_LEVEL = {
    "strategis": "pusat",
    "lintas_provinsi": "pusat",
    "besar": "pusat",
    "sedang": "provinsi",
    "lintas_kabupaten": "provinsi",
    "kecil": "kabupaten",
}
DI_CLASS_TEXT = {
    "strategis": "D.I. strategis nasional",
    "lintas_provinsi": "D.I. lintas provinsi",
    "besar": "D.I. > 3.000 ha",
    "sedang": "D.I. 1.000-3.000 ha",
    "lintas_kabupaten": "D.I. lintas kabupaten/kota",
    "kecil": "D.I. < 1.000 ha",
}


def di_class(
    area_ha: np.ndarray,
    crosses_kabupaten: np.ndarray,
    *,
    national_strategic: np.ndarray,
    crosses_provinsi: np.ndarray,
) -> np.ndarray:
    """The Permen PUPR 14/2015 class of each D.I. (a key of ``DI_RULES``)."""
    return np.select(
        [
            national_strategic,
            crosses_provinsi,
            area_ha > 3000.0,
            area_ha >= 1000.0,
            crosses_kabupaten,
        ],
        ["strategis", "lintas_provinsi", "besar", "sedang", "lintas_kabupaten"],
        default="kecil",
    ).astype(object)


def expected_level_of_di(
    area_ha: float,
    *,
    crosses_kabupaten: bool = False,
    national_strategic: bool = False,
    crosses_provinsi: bool = False,
) -> str:
    """The level holding authority over a Daerah Irigasi by Permen PUPR 14/2015.

    Parameters
    ----------
    area_ha
        Area of the D.I. in hectares.
    crosses_kabupaten, national_strategic, crosses_provinsi
        Whether it crosses a kabupaten/kota boundary, is national strategic, crosses a
        province boundary.

    Returns
    -------
    str
        ``pusat`` above 3,000 ha, national strategic or crossing provinces; ``provinsi`` from
        1,000 to 3,000 ha or crossing kabupaten/kota; otherwise ``kabupaten``.

    Examples
    --------
    >>> expected_level_of_di(3000.0), expected_level_of_di(800.0, crosses_kabupaten=True)
    ('provinsi', 'provinsi')
    >>> expected_level_of_di(600.0, national_strategic=True)
    'pusat'
    """
    key = di_class(
        np.array([area_ha], dtype=float),
        np.array([crosses_kabupaten]),
        national_strategic=np.array([national_strategic]),
        crosses_provinsi=np.array([crosses_provinsi]),
    )[0]
    return DI_CLASS_LEVEL[key]
