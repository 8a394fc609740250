#include "notify/secret_box.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <fstream>
#include <iterator>

#include <sodium.h>

#include "auth/sodium_init.h"
#include "notify/signing.h"

namespace salesradar::notify {
namespace {

Error KeyFileError(const std::string& path, std::string_view what) {
  return Unavailable("无法" + std::string(what == "read" ? "读取" : "写入") + "密钥文件 " + path + "；请检查数据目录的权限",
                     "cannot " + std::string(what) + " the key file " + path + "; check the permissions of the data directory");
}

Result<std::string> CreateKeyFile(const std::string& path) {
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());

  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return KeyFileError(path, "write");
  ssize_t written = ::write(fd, key.data(), key.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(key.size()) || !synced) return KeyFileError(path, "write");
  return key;
}

}  // namespace

Result<SecretBox> SecretBox::LoadOrCreate(const std::string& path) {
  auth::EnsureSodium();

  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    SR_ASSIGN_OR_RETURN(std::string key, CreateKeyFile(path));
    return SecretBox(std::move(key));
  }

  std::ifstream file(path, std::ios::binary);
  if (!file) return KeyFileError(path, "read");
  std::string key((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (key.size() != crypto_secretbox_KEYBYTES) {
    return Error(ErrorCode::kDataLoss,
                 "密钥文件 " + path + " 的长度不是 32 字节；请从备份恢复它（删除它会使已保存的渠道密钥无法解密）",
                 "the key file " + path + " is not 32 bytes long; restore it from a backup (deleting it makes the "
                 "stored channel secrets unreadable)");
  }
  return SecretBox(std::move(key));
}

SecretBox SecretBox::FromKey(std::string key) {
  auth::EnsureSodium();
  assert(key.size() == crypto_secretbox_KEYBYTES);
  return SecretBox(std::move(key));
}

std::string SecretBox::Seal(std::string_view plain) const {
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), out, reinterpret_cast<const unsigned char*>(key_.data()));
  return Base64(sealed);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  Error unreadable(ErrorCode::kDataLoss, "渠道密钥无法解密：数据已损坏，或数据目录中的 secret.key 不是加密时的那个；请重新填写渠道密钥",
                   "the channel secrets cannot be decrypted: the data is corrupt, or secret.key in the data directory "
                   "is not the one they were sealed with; enter the channel secrets again");
  std::optional<std::string> bytes = DecodeBase64(sealed);
  if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return unreadable;

  const auto* in = reinterpret_cast<const unsigned char*>(bytes->data());
  std::string plain(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), in + crypto_secretbox_NONCEBYTES,
                                 bytes->size() - crypto_secretbox_NONCEBYTES, in,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return unreadable;
  }
  return plain;
}

}  // namespace salesradar::notify
