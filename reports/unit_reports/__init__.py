"""The units' yearly reports on the movement (báo cáo kết quả thực hiện Phong trào thi đua, due 20 November)."""
