// SPDX-License-Identifier: MIT
// The working paper's two pre-trained IRIS networks (versicolor vs virginica), with the weights of
// its Tab. 2 and Tab. 3 written exactly as Keras printed them (kernel [inputs][units]).
// Source: the working paper; also ../shared/data/iris/paper-split.json.
#pragma once

#include "anne/layer.hpp"
#include "anne/network.hpp"

namespace anne {
namespace paper {

namespace detail {
constexpr ActivationSpec relu = default_spec(Activation::relu);
constexpr ActivationSpec sigmoid = default_spec(Activation::sigmoid);
}  // namespace detail

/// paper-8: 8 neurons in 4 Dense layers, 4-2-3-2-1, relu, sigmoid, relu, sigmoid (Tab. 2).
namespace paper8 {
inline constexpr float kW1[4][2] = {{-0.75323504f, -0.25906014f},
                                    {-0.46379513f, -0.5019245f},
                                    {2.1273055f, 1.7724446f},
                                    {1.1853403f, 0.88468695f}};
inline constexpr float kB1[2] = {0.53405946f, 0.32578036f};
inline constexpr float kW2[2][3] = {{-1.6785783f, 2.0158117f, 1.2769054f}, {-1.4055765f, 0.6828738f, 1.5902631f}};
inline constexpr float kB2[3] = {1.18362f, -1.1555661f, -1.0966455f};
inline constexpr float kW3[3][2] = {{0.729278f, -1.0240695f}, {-0.80972326f, 1.4383037f}, {-0.90892404f, 1.6760625f}};
inline constexpr float kB3[2] = {0.10695826f, 0.01635581f};
inline constexpr float kW4[2][1] = {{-0.2019448f}, {1.5772797f}};
inline constexpr float kB4[1] = {-1.2177287f};

inline constexpr auto kK1 = from_keras_kernel(kW1);
inline constexpr auto kK2 = from_keras_kernel(kW2);
inline constexpr auto kK3 = from_keras_kernel(kW3);
inline constexpr auto kK4 = from_keras_kernel(kW4);

inline constexpr Layer kLayers[] = {
    dense_layer(kK1, kB1, detail::relu),
    dense_layer(kK2, kB2, detail::sigmoid),
    dense_layer(kK3, kB3, detail::relu),
    dense_layer(kK4, kB4, detail::sigmoid),
};
inline constexpr Network kNetwork = {kLayers, 4};
/// The activations it uses: forward<Activations>(kNetwork, ...) links only these.
using Activations = ActivationSubset<Activation::relu, Activation::sigmoid>;
}  // namespace paper8

/// paper-6: 6 neurons in 3 Dense layers, 4-3-2-1, relu, sigmoid, sigmoid (Tab. 3).
namespace paper6 {
inline constexpr float kW1[4][3] = {{0.50914556f, -0.18116623f, -0.04498423f},
                                    {0.33949652f, -0.42303845f, -0.37400272f},
                                    {-1.4968083f, 1.2034143f, 0.95544535f},
                                    {-1.344156f, 0.39220142f, 1.2244085f}};
inline constexpr float kB1[3] = {0.83684736f, 0.5311056f, 0.7652087f};
inline constexpr float kW2[3][2] = {{-2.1645586f, 1.3892978f}, {0.43439832f, -1.8758974f}, {0.92036045f, -1.5745732f}};
inline constexpr float kB2[2] = {0.9615521f, 0.4445824f};
inline constexpr float kW3[2][1] = {{1.6905344f}, {-2.6346245f}};
inline constexpr float kB3[1] = {0.4316521f};

inline constexpr auto kK1 = from_keras_kernel(kW1);
inline constexpr auto kK2 = from_keras_kernel(kW2);
inline constexpr auto kK3 = from_keras_kernel(kW3);

inline constexpr Layer kLayers[] = {
    dense_layer(kK1, kB1, detail::relu),
    dense_layer(kK2, kB2, detail::sigmoid),
    dense_layer(kK3, kB3, detail::sigmoid),
};
inline constexpr Network kNetwork = {kLayers, 3};
/// The activations it uses: forward<Activations>(kNetwork, ...) links only these.
using Activations = ActivationSubset<Activation::relu, Activation::sigmoid>;
}  // namespace paper6

}  // namespace paper
}  // namespace anne
