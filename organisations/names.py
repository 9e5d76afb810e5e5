"""Realistic Vietnamese names for demo and benchmark data (deterministic for a given seed)."""

import random

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Đinh",
    "Lâm",
    "Châu",
    "Tạ",
]
MIDDLE_F = ["Thị", "Thị Ngọc", "Thị Thu", "Ngọc", "Thị Kim", "Thị Mỹ", "Thị Thanh", "Thị Ánh"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu", "Thanh", "Đức", "Công", "Hoàng", "Văn Tấn"]
GIVEN_F = [
    "Tuyết",
    "Lan",
    "Hương",
    "Hạnh",
    "Thảo",
    "Trang",
    "Nhung",
    "Yến",
    "Phượng",
    "Diễm",
    "Hằng",
    "Loan",
    "Duyên",
    "Ngân",
    "Trinh",
    "Vy",
    "Mai",
    "Thùy",
    "Quyên",
    "Hồng",
]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khang",
    "Long",
    "Lộc",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Toàn",
    "Trí",
    "Vinh",
    "Đông",
    "Tâm",
]


def vietnamese_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def mobile_number(index: int) -> str:
    """A distinct, valid-looking +84 mobile number for each index (9 digits after +84)."""
    prefixes = [
        "90",
        "91",
        "93",
        "94",
        "96",
        "97",
        "98",
        "70",
        "76",
        "77",
        "78",
        "79",
        "81",
        "83",
        "85",
        "86",
        "88",
        "89",
        "32",
        "33",
        "35",
        "37",
        "39",
    ]
    prefix = prefixes[index % len(prefixes)]
    return f"+84{prefix}{index // len(prefixes):07d}"
