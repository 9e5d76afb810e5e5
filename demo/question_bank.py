"""Demo question bank: the curriculum's quiz seeds (answers exactly as given there) and
further questions written from the facts of the demo lessons. 10 per topic.

Each entry: (kind, question, [(answer, correct), ...], explanation).
"""

S, M, TF = "SINGLE", "MULTIPLE", "TRUE_FALSE"


def tf(statement_is_true):
    return [("Đúng", statement_is_true), ("Sai", not statement_is_true)]


def opts(*answers, correct):
    correct = {correct} if isinstance(correct, int) else set(correct)
    return [(text, i in correct) for i, text in enumerate(answers)]


QUESTIONS = {
    "ung-dung-va-dich-vu-cong-moi": [
        (
            S,
            "VNeID mức 2 được đăng ký ở đâu?",
            opts(
                "Qua link Zalo",
                "Trực tiếp tại cơ quan Công an",
                "Tại ngân hàng",
                "Qua tổng đài",
                correct=1,
            ),
            "Cần chụp ảnh, lấy vân tay nên không ai làm thay được.",
        ),
        (
            S,
            "Passcode VNeID gồm:",
            opts("4 chữ cái", "6 chữ số", "8–20 ký tự", "Vân tay", correct=1),
            "Theo hướng dẫn kích hoạt.",
        ),
        (
            S,
            "“Công an” gửi link cài “VNeID” để “đồng bộ”. Bạn nên:",
            opts(
                "Cài ngay",
                "Từ chối; chỉ tải từ App Store/CH Play, hỏi công an xã",
                "Gửi ảnh CCCD",
                "Đọc OTP",
                correct=1,
            ),
            "Chỉ có một ứng dụng định danh duy nhất là VNeID.",
        ),
        (
            S,
            "Địa chỉ Cổng Dịch vụ công quốc gia:",
            opts(
                "dichvucong-gov.com",
                "dichvucong.gov.vn",
                "dvcquocgia.top",
                "dichvucong.vn-id.xyz",
                correct=1,
            ),
            "Trang cơ quan nhà nước dùng đuôi .gov.vn.",
        ),
        (
            S,
            "Sau 1/7/2025 có phải tự cập nhật địa chỉ trên VNeID không?",
            opts(
                "Có, qua link",
                "Không, hệ thống tự cập nhật",
                "Có, phí 22.000đ",
                "Gọi tổng đài",
                correct=1,
            ),
            "Lời yêu cầu “cập nhật” là lừa đảo.",
        ),
        (
            S,
            "Ứng dụng VNeID do cơ quan nào phát triển?",
            opts("Bộ Công an", "Ngân hàng Nhà nước", "Bộ Y tế", "Một công ty tư nhân", correct=0),
            "VNeID là ứng dụng định danh điện tử của Bộ Công an.",
        ),
        (
            S,
            "Mật khẩu tài khoản VNeID dài bao nhiêu ký tự?",
            opts("4 ký tự", "6 chữ số", "8–20 ký tự", "Không giới hạn", correct=2),
            "Mật khẩu 8–20 ký tự; passcode mới là 6 chữ số.",
        ),
        (
            TF,
            "Một tài khoản VNeID có thể đăng nhập trên nhiều thiết bị cùng một lúc.",
            tf(False),
            "Mỗi tài khoản chỉ đăng nhập trên một thiết bị tại một thời điểm.",
        ),
        (
            S,
            "Khi giúp người dân kích hoạt VNeID, ai nên nhập mật khẩu?",
            opts(
                "Thành viên tổ công nghệ số",
                "Chính người dân",
                "Cán bộ xã",
                "Người thân của người dân",
                correct=1,
            ),
            "Để người dân tự nhập mật khẩu và OTP của họ.",
        ),
        (
            M,
            "Những việc nào thuộc quy trình nộp hồ sơ trên Cổng Dịch vụ công quốc gia?",
            opts(
                "Đăng nhập bằng tài khoản VNeID",
                "Điền tờ khai, đính kèm giấy tờ",
                "Tra cứu tình trạng hồ sơ",
                "Gửi mật khẩu cho cán bộ tiếp nhận",
                correct=(0, 1, 2),
            ),
            "Không bao giờ đưa mật khẩu cho người khác, kể cả cán bộ.",
        ),
    ],
    "thanh-toan-so": [
        (
            S,
            "Từ 1/7/2024, chuyển khoản trực tuyến trên bao nhiêu mỗi lần phải xác thực sinh trắc học?",
            opts("1 triệu", "5 triệu", "10 triệu", "50 triệu", correct=2),
            "Quy định cũng áp dụng khi tổng trong ngày vượt 20 triệu.",
        ),
        (
            S,
            "Sau khi quét VietQR, cần kiểm tra:",
            opts("Màu mã", "Tên người nhận và số tiền", "Pin", "Không cần", correct=1),
            "Mã QR có thể bị dán đè.",
        ),
        (
            S,
            "Khách đưa ảnh “chuyển khoản thành công”:",
            opts(
                "Giao hàng ngay", "Xem biến động số dư của mình", "Chụp lại", "Xin OTP", correct=1
            ),
            "Ảnh có thể làm giả.",
        ),
        (
            S,
            "“Điện lực” dọa cắt điện, gửi link cài app để đóng tiền:",
            opts(
                "Cài",
                "Không cài; kiểm tra qua kênh chính thức của điện lực/ngân hàng",
                "Chuyển vào tài khoản cá nhân",
                "Gửi số thẻ",
                correct=1,
            ),
            "Ngành điện đã cảnh báo.",
        ),
        (
            S,
            "SMS mang tên ngân hàng kèm link “đổi điểm”:",
            opts("Thật", "Giả mạo, có thể từ trạm BTS giả", "Bấm ngay", "Chuyển tiếp", correct=1),
            "Ngân hàng không gửi link đăng nhập qua SMS.",
        ),
        (
            S,
            "VietQR là chuẩn mã QR chung do tổ chức nào đưa ra?",
            opts("NAPAS", "Bộ Công an", "Một ví điện tử", "Tổng cục Thuế", correct=0),
            "NAPAS đưa ra chuẩn VietQR từ tháng 6/2021.",
        ),
        (
            S,
            "Từ 1/7/2024, khi tổng tiền chuyển trực tuyến trong ngày vượt bao nhiêu thì phải xác thực sinh trắc học?",
            opts("5 triệu", "10 triệu", "20 triệu", "100 triệu", correct=2),
            "Theo Quyết định 2345/QĐ-NHNN.",
        ),
        (
            TF,
            "Nên cho người quen mượn tài khoản ngân hàng để nhận tiền hộ.",
            tf(False),
            "Kẻ gian dùng tài khoản “thuê”, “mượn” để nhận tiền lừa đảo.",
        ),
        (
            S,
            "Cách chắc chắn nhất để biết tiền khách trả đã về là:",
            opts(
                "Khách đọc mã giao dịch",
                "Thông báo biến động số dư trên máy của mình",
                "Ảnh chụp màn hình của khách",
                "Tin nhắn từ số lạ",
                correct=1,
            ),
            "Bật thông báo biến động số dư và chỉ tin vào nó.",
        ),
        (
            M,
            "Một mã VietQR có thể chứa những thông tin nào?",
            opts(
                "Ngân hàng",
                "Số tài khoản",
                "Số tiền và nội dung chuyển khoản",
                "Mật khẩu ứng dụng ngân hàng",
                correct=(0, 1, 2),
            ),
            "Mã QR không bao giờ chứa mật khẩu.",
        ),
    ],
    "lua-dao-truc-tuyen": [
        (
            S,
            "“Công an” gọi video, nói bạn dính rửa tiền, bắt chuyển tiền “chứng minh trong sạch”, giữ bí mật:",
            opts("Thủ tục thật", "Lừa đảo", "Lệnh tòa", "Bảo hiểm", correct=1),
            "Công an làm việc trực tiếp hoặc gửi giấy mời.",
        ),
        (
            S,
            "Cộng tác viên “đặt đơn được hoàn tiền + 10–20% hoa hồng”, vài đơn đầu trả đủ:",
            opts(
                "Việc thật",
                "Lừa đảo: tạo lòng tin rồi đòi nạp nhiều hơn",
                "Sàn tuyển thật",
                "Không rủi ro",
                correct=1,
            ),
            "Trả đủ vài đơn đầu là để tạo lòng tin.",
        ),
        (
            S,
            "Người thân nhắn vay tiền, video mờ vài giây rồi tắt:",
            opts(
                "Chuyển ngay", "Gọi lại số quen để xác minh", "Gửi OTP", "Chuyển một nửa", correct=1
            ),
            "Deepfake thường mờ, ngắn.",
        ),
        (
            S,
            "Đầu số miễn phí để phản ánh cuộc gọi, tin nhắn lừa đảo:",
            opts("113", "1900xxxx", "156 (hoặc 5656)", "115", correct=2),
            "Cú pháp “LD [số] [nội dung]”.",
        ),
        (
            S,
            "Lỡ cài app giả và mất tiền, chỉ gỡ app là đủ?",
            opts(
                "Đủ",
                "Chưa: khóa tài khoản, khôi phục cài đặt gốc, đổi mật khẩu, trình báo",
                "Tắt máy",
                "Đổi SIM",
                correct=1,
            ),
            "Mã độc có thể vẫn điều khiển máy.",
        ),
        (
            S,
            "Năm 2025, hình thức lừa đảo trực tuyến phổ biến nhất là:",
            opts(
                "Mạo danh công an",
                "Bán hàng giả",
                "Trúng thưởng xổ số",
                "Tuyển sinh du học",
                correct=0,
            ),
            "Mạo danh công an đứng đầu năm 2025.",
        ),
        (
            S,
            "Theo khảo sát của NCA năm 2024, khoảng bao nhiêu người dùng thì có 1 người bị lừa đảo trực tuyến?",
            opts("1 trên 22", "1 trên 220", "1 trên 2.200", "1 trên 22.000", correct=1),
            "Thiệt hại ước khoảng 18.900 tỷ đồng.",
        ),
        (
            S,
            "Cẩm nang của Cục An toàn thông tin chia các thủ đoạn lừa đảo thành mấy nhóm?",
            opts("2", "3", "5", "24", correct=1),
            "3 nhóm (giả mạo thương hiệu, chiếm đoạt tài khoản, kết hợp) với 24 hình thức.",
        ),
        (
            TF,
            "Lời mời “lấy lại tiền đã bị lừa” có thu phí trước là đáng tin.",
            tf(False),
            "Đó là lừa đảo lần hai.",
        ),
        (
            M,
            "Những dấu hiệu nào thường gặp ở cuộc gọi video deepfake?",
            opts(
                "Hình ảnh mờ",
                "Chỉ vài giây rồi tắt",
                "Lấy cớ mạng yếu",
                "Người gọi đồng ý để bạn gọi lại số quen",
                correct=(0, 1, 2),
            ),
            "Kẻ gian tránh để bạn xác minh qua số điện thoại quen.",
        ),
    ],
    "an-toan-thong-tin": [
        (
            S,
            "Mật khẩu an toàn nhất:",
            opts("12345678", "Lan1990", "matkhau", "Ca-Phe!Sua-Da#Sang7", correct=3),
            "Dài, nhiều loại ký tự, không chứa tên hay ngày sinh.",
        ),
        (
            S,
            "Ai được biết OTP ngân hàng của bạn?",
            opts(
                "Nhân viên ngân hàng gọi đến",
                "Công an",
                "Chỉ mình bạn",
                "Người thân qua Zalo",
                correct=2,
            ),
            "NHNN: không cung cấp OTP qua bất kỳ kênh nào.",
        ),
        (
            S,
            "Tên miền thường gặp của cơ quan nhà nước:",
            opts(".com", ".top", ".gov.vn", ".xyz", correct=2),
            "Ví dụ vneid.gov.vn.",
        ),
        (
            S,
            "Chuyển tiền qua Wi-Fi quán cà phê:",
            opts(
                "An toàn",
                "Hạn chế; dùng 4G/5G",
                "Tắt Bluetooth là đủ",
                "Chỉ iPhone gặp rủi ro",
                correct=1,
            ),
            "Khuyến cáo của NHNN.",
        ),
        (
            S,
            "Ứng dụng lạ đòi quyền “Trợ năng” và đọc SMS:",
            opts("Cấp", "Từ chối, gỡ ngay", "Cấp tạm", "Khởi động lại máy", correct=1),
            "Mã độc dùng các quyền này để lấy OTP.",
        ),
        (
            S,
            "Muốn kiểm tra một trang web có phải lừa đảo không, có thể tra cứu tại:",
            opts(
                "tinnhiemmang.vn",
                "Một nhóm Zalo",
                "Trang web đó tự giới thiệu",
                "Tin nhắn quảng cáo",
                correct=0,
            ),
            "Danh sách tại tinnhiemmang.vn/website-lua-dao.",
        ),
        (
            TF,
            "Nên dùng một mật khẩu cho tất cả các tài khoản để dễ nhớ.",
            tf(False),
            "Mỗi tài khoản một mật khẩu khác nhau.",
        ),
        (
            S,
            "Nên cài ứng dụng cho điện thoại từ đâu?",
            opts(
                "Đường link trong tin nhắn",
                "App Store hoặc CH Play",
                "Tệp gửi qua Zalo",
                "Trang web lạ",
                correct=1,
            ),
            "Chỉ cài từ kho ứng dụng chính thức.",
        ),
        (
            M,
            "Những việc nào giúp bảo vệ tài khoản?",
            opts(
                "Bật xác thực hai lớp",
                "Mỗi tài khoản một mật khẩu",
                "Cập nhật hệ điều hành, ứng dụng",
                "Đọc OTP cho nhân viên ngân hàng khi được gọi",
                correct=(0, 1, 2),
            ),
            "OTP là của riêng bạn.",
        ),
        (
            S,
            "Xác thực hai lớp (2FA) giúp gì?",
            opts(
                "Thêm một bước xác minh ngoài mật khẩu",
                "Làm máy chạy nhanh hơn",
                "Tăng dung lượng lưu trữ",
                "Không cần mật khẩu nữa",
                correct=0,
            ),
            "Kẻ gian biết mật khẩu vẫn chưa vào được tài khoản.",
        ),
    ],
}
