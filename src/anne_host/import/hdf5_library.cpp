// SPDX-License-Identifier: MIT
#include "anne_host/import/hdf5_library.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>  // H5LTpath_valid

#include <utility>

#include "anne_host/error.hpp"

namespace anne::host::hdf5 {

namespace {

/// Closes an HDF5 handle with its own close function when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void silence_hdf5_errors() {
  static const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

/// The strings of an attribute or dataset element array, fixed or variable length.
std::vector<std::string> read_strings(hid_t attribute, const std::string& where) {
  Handle type(H5Aget_type(attribute), H5Tclose);
  Handle space(H5Aget_space(attribute), H5Sclose);
  const hssize_t count = space.ok() ? H5Sget_simple_extent_npoints(space.get()) : -1;
  if (count == 0) return {};  // Keras writes an empty list (of any type) for a layer without weights
  if (!type.ok() || H5Tget_class(type.get()) != H5T_STRING) throw Error(where + " is not a string attribute");
  if (count < 0 || count > 100000) throw Error(where + ": unreadable or too many strings");
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    std::vector<char*> pointers(static_cast<size_t>(count), nullptr);
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    const bool read = H5Aread(attribute, memory.get(), pointers.data()) >= 0;
    if (read) {
      for (char* p : pointers) out.emplace_back(p != nullptr ? p : "");
    }
    // Also after a failed read: the strings read before the failure are allocated already.
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
    if (!read) throw Error(where + ": cannot read the strings");
    return out;
  }
  const size_t size = H5Tget_size(type.get());
  if (size == 0 || size > 1 << 20) throw Error(where + ": string size out of range");
  std::vector<char> buffer(size * static_cast<size_t>(count));
  if (H5Aread(attribute, type.get(), buffer.data()) < 0) throw Error(where + ": cannot read the strings");
  for (hssize_t i = 0; i < count; ++i) {
    const char* start = buffer.data() + static_cast<size_t>(i) * size;
    size_t length = 0;
    while (length < size && start[length] != '\0') ++length;
    out.emplace_back(start, length);
  }
  return out;
}

/// Refuses a dataset whose uncompressed storage is smaller than its shape declares (the values
/// would be read from beyond it), before its values are allocated.
void check_stored(hid_t dataset, hid_t type, uint64_t count, const std::string& where) {
  Handle create(H5Dget_create_plist(dataset), H5Pclose);
  if (!create.ok() || H5Pget_nfilters(create.get()) != 0) return;  // compressed: HDF5 checks while inflating
  const uint64_t stored = H5Dget_storage_size(dataset);
  const uint64_t needed = count * H5Tget_size(type);
  if (stored < needed) {
    throw Error(where + ": declares " + std::to_string(count) + " values (" + std::to_string(needed) + " bytes) but stores " +
                std::to_string(stored) + " bytes");
  }
}

}  // namespace

LibraryFile::LibraryFile(int64_t id, std::string label) : id_(id), label_(std::move(label)) {}

LibraryFile::LibraryFile(LibraryFile&& other) noexcept : id_(other.id_), label_(std::move(other.label_)) {
  other.id_ = -1;
}

LibraryFile::~LibraryFile() {
  if (id_ >= 0) H5Fclose(id_);
}

LibraryFile LibraryFile::open(const std::string& path) {
  silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Error(path + ": not an HDF5 file (or it cannot be read)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw Error(path + ": cannot open the HDF5 file");
  return LibraryFile(id, path);
}

LibraryFile LibraryFile::from_memory(const std::vector<uint8_t>& image, const std::string& label) {
  silence_hdf5_errors();
  if (image.empty()) throw Error(label + ": empty HDF5 image");
  // The core driver reads from a copy of the image held by the file access property list.
  // (H5LTopen_file_image without copying leaks its bookkeeping in HDF5 1.10.)
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access.ok() || H5Pset_fapl_core(access.get(), 1 << 16, 0) < 0 ||
      // (HDF5 1.10 declares the pointer non-const; it only copies from it.)
      H5Pset_file_image(access.get(), const_cast<uint8_t*>(image.data()), image.size()) < 0) {
    throw Error(label + ": cannot set up the in-memory HDF5 file");
  }
  // The name only identifies the image; one that is no file keeps the driver from reading a file
  // of that name from disk instead.
  const hid_t id = H5Fopen(("in memory: " + label).c_str(), H5F_ACC_RDONLY, access.get());
  if (id < 0) throw Error(label + ": not a readable HDF5 file");
  return LibraryFile(id, label);
}

bool LibraryFile::exists(const std::string& object) const {
  return object == "/" || H5LTpath_valid(id_, object.c_str(), 1) > 0;
}

std::vector<std::string> LibraryFile::string_list_attribute(const std::string& object, const std::string& name) const {
  const std::string where = label_ + ": attribute '" + name + "' of " + object;
  if (!exists(object) || H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return {};
  Handle attribute(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attribute.ok()) throw Error(where + ": cannot open");
  return read_strings(attribute.get(), where);
}

std::vector<std::string> LibraryFile::members(const std::string& group) const {
  std::vector<std::string> names;
  if (!exists(group)) return names;
  Handle handle(H5Gopen2(id_, group.c_str(), H5P_DEFAULT), H5Gclose);
  if (!handle.ok()) return names;
  H5G_info_t info;
  if (H5Gget_info(handle.get(), &info) < 0 || info.nlinks > 100000) throw Error(label_ + ": " + group + ": unreadable group");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(handle.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) continue;
    std::string name(static_cast<size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(handle.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<size_t>(length));
    names.push_back(name);
  }
  return names;
}

Array LibraryFile::read(const std::string& dataset) const {
  const std::string where = label_ + ": dataset " + dataset;
  if (!exists(dataset)) throw Error(where + " is missing");
  Handle data(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!data.ok()) throw Error(where + ": not a dataset");
  Handle type(H5Dget_type(data.get()), H5Tclose);
  const H5T_class_t kind = H5Tget_class(type.get());
  if (kind != H5T_FLOAT && kind != H5T_INTEGER) throw Error(where + ": not numeric");
  Handle space(H5Dget_space(data.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8) throw Error(where + ": unreadable shape");
  Array array;
  array.shape.resize(static_cast<size_t>(rank));
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  uint64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    array.shape[d] = dims[d];
    if (dims[d] > kMaxArrayValues || (count *= dims[d]) > kMaxArrayValues) {
      throw Error(where + ": declares more than " + std::to_string(kMaxArrayValues) + " values, the limit for a weight array");
    }
  }
  check_stored(data.get(), type.get(), count, where);
  array.values.resize(count);
  if (count > 0 && H5Dread(data.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data()) < 0) {
    throw Error(where + ": cannot read the values");
  }
  return array;
}

}  // namespace anne::host::hdf5
